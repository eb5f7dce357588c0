# Sourced by .ci/run and scripts/up.sh: makes `node` a supported Node.js (24.9 or newer). When the
# machine's Node is older, the npm registry's `node` package is installed into .tools/node once and
# put first on PATH for this shell; nothing outside the repository changes.
REQUIRED_NODE_MAJOR=24
REQUIRED_NODE_MINOR=9

node_is_supported() {
  command -v node >/dev/null 2>&1 &&
    node -e "const [a,b]=process.versions.node.split('.').map(Number);process.exit(a>${REQUIRED_NODE_MAJOR}||(a===${REQUIRED_NODE_MAJOR}&&b>=${REQUIRED_NODE_MINOR})?0:1)"
}

if ! node_is_supported; then
  tools="$(pwd)/.tools/node"
  export PATH="$tools/node_modules/.bin:$PATH"
  if ! node_is_supported; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "Node.js ${REQUIRED_NODE_MAJOR}.${REQUIRED_NODE_MINOR}+ is needed and npm is missing to install it" >&2
      exit 1
    fi
    echo "→ Node.js $(node -v 2>/dev/null || echo 'missing') is too old; installing node@${REQUIRED_NODE_MAJOR} into .tools/node"
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "node@${REQUIRED_NODE_MAJOR}" >/dev/null
    hash -r
    node_is_supported || { echo "could not install Node.js ${REQUIRED_NODE_MAJOR}" >&2; exit 1; }
  fi
fi
echo "→ Node.js $(node -v)"
