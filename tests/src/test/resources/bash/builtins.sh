# bash builtins, expansions and control flow, nothing that forks: BashStaticTest runs it under
# Phoenix and natively and compares everything.
for i in 1 2 3; do echo "loop $i"; done
echo "arith $((6 * 7)) $((2 ** 10)) $((17 % 5))"
x=abcdef; echo "${x^^} ${#x} ${x:1:3} ${x/cd/CD} ${x#ab}"
declare -A m=([one]=1 [two]=2); echo "assoc ${m[one]} ${m[two]} ${#m[@]}"
a=(z y x); echo "array ${#a[@]} ${a[1]} ${a[*]}"
f() { local v=$1; echo "f got $v"; return 3; }; f hello; echo "status $?"
[[ "phoenix-2026" =~ ([a-z]+)-([0-9]+) ]] && echo "match ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
read -r first rest <<< "one two three"; echo "read $first / $rest"
printf '%05.1f|%-4s|%x\n' 3.14159 ab 255
case "$x" in abc*) echo "case abc*";; *) echo "case other";; esac
i=0; while (( i < 1000 )); do (( i++ )); done; echo "while $i"
echo {1..5} {a..c}
shopt -s extglob; y=aaab; echo "${y##+(a)}"
type echo cd
trap 'echo "trap EXIT"' EXIT
cd /tmp && echo "pwd $PWD"
printf -v formatted '%s-%s' a b; echo "$formatted"
trap 'echo "got USR1"' USR1; kill -USR1 $$; echo after-kill
read -t 0.1 x < /dev/zero; echo "read -t on endless input $?"
read -t 0 < /dev/null && echo ready || echo notready
wait; echo "wait $?"
ulimit -c 0; ulimit -c
v="it's"; echo "${v@Q}"
set -e; false || echo "or-ok"; set +e
trap 'echo ERR trapped' ERR; false; trap - ERR
echo $(( 2**62 )) $(( -7 / 2 )) $(( 7 % -3 ))
echo done
