# Run by bash-static and zsh-static (DebianStaticProgramsTest): every external command is a
# busybox applet found through PATH, so the script forks and execs only static programs.
echo "substitution: $(echo inner | tr a-z A-Z) $(echo "$(echo nested)")"
seq 1 1000 | sort -rn | head -3
echo "pipeline status: $(false | true; echo $?) $(true | false; echo $?)"
(echo "in a subshell"; exit 4); echo "subshell status: $?"
(sleep 0; exit 3) & a=$!
(exit 5) & b=$!
wait $b; echo "wait b: $?"
wait $a; echo "wait a: $?"
sleep 0 & sleep 0 & wait; echo "wait all: $?"
for i in 1 2 3 4 5; do expr $i \* $i; done | tr '\n' ' '; echo
i=0; while [ $i -lt 20 ]; do i=$(expr $i + 1); done; echo "counted to $i with expr"
printf 'c\nb\na\n' | sort | { read x; read y; read z; echo "sorted: $x$y$z"; }
echo "words: $(echo one two three | wc -w)"
busybox sh -c 'exit 7'; echo "busybox sh: $?"
(exec echo "exec in a subshell"); echo "after exec: $?"
cat <<END | tr a-z A-Z
here-document through a pipe
END
