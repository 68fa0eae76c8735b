# Sourced by ./ovm, scripts/test.sh and .ci/run: selects JDK 25 (ovm builds and runs only on it).
# Order: $OVM_JAVA_HOME, $JAVA_HOME if it is 25 or newer, then the usual install folders.
ovm_java_version() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
ovm_select_jdk() {
  local candidate
  for candidate in "${OVM_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/jdk-25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    local v; v=$(ovm_java_version "$candidate")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"; export PATH="$JAVA_HOME/bin:$PATH"; return 0
    fi
  done
  echo "ovm: JDK 25 is required and none was found." >&2
  echo "ovm: install Temurin 25 (https://adoptium.net, or the 'temurin-25-jdk' package from Adoptium's apt repository)" >&2
  echo "ovm: and/or set OVM_JAVA_HOME (or JAVA_HOME) to its folder, e.g. /usr/lib/jvm/temurin-25-jdk-amd64." >&2
  return 1
}
