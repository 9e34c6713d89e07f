# Sourced by the launcher and scripts: sets JAVA_HOME to a JDK 25 or fails with a clear message.
# Honours an existing JAVA_HOME if it is a JDK 25.
phoenix_is_jdk25() {
  # Bash's own file read and regex: the launcher runs this on every start.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -r "$1/release" ] \
    && [[ $'\n'"$(< "$1/release")" =~ $'\n'JAVA_VERSION=\"25([.\"]) ]]
}
phoenix_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && phoenix_is_jdk25 "$JAVA_HOME"; then
    return 0
  fi
  local d
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    if phoenix_is_jdk25 "$d"; then
      export JAVA_HOME="$d"
      return 0
    fi
  done
  {
    echo "phoenix: no JDK 25 in JAVA_HOME or under /usr/lib/jvm (Phoenix needs Java 25 for the FFM API)."
    echo "phoenix: Debian 12 packages none: install temurin-25-jdk from Adoptium's apt repository"
    echo "phoenix: (https://packages.adoptium.net/artifactory/deb; README.md, 'A JDK 25 on Debian 12', has the"
    echo "phoenix: commands), or unpack a JDK 25 archive under /usr/lib/jvm, or set JAVA_HOME to a JDK 25."
  } >&2
  return 1
}
