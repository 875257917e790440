#!/usr/bin/env bash
# Builds the real-cluster test kit from Go modules and Maven Central, once, into a
# cache outside the repository keyed by version:
#
#   ${FLEET_BACKUP_CACHE:-$HOME/.cache/fleet-backup}/testkit/
#     k8s-v1.34.4/{kube-apiserver,kubectl}
#     etcd-v3.6.16/etcd
#     velero-v1.18.1/velero
#     velero-plugin-for-aws-v1.14.2/velero-plugin-for-aws   (a Velero --plugin-dir)
#     s3proxy-3.3.0/s3proxy.jar
#     promtool-v0.316.0/promtool   (checks and unit-tests deploy/monitoring's alert rules)
#
# Versions live in testkit/versions.env (the Java testkit reads the same file).
# Each output directory carries a .stamp with a hash of its inputs (versions, wrapper
# go.mod/go.sum/main.go); a matching stamp means "built", so a warm run takes seconds.
#
# Usage: testkit/build.sh                 build what is missing, print the paths
#        testkit/build.sh --print-paths   print KEY=path lines only (builds nothing)
#        testkit/build.sh --check         exit 1 if anything is missing or stale
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

cache_root="${FLEET_BACKUP_CACHE:-$HOME/.cache/fleet-backup}/testkit"
mode="${1:-build}"

k8s_dir="$cache_root/k8s-$K8S_VERSION"
etcd_dir="$cache_root/etcd-$ETCD_VERSION"
velero_dir="$cache_root/velero-$VELERO_VERSION"
plugin_dir="$cache_root/velero-plugin-for-aws-$VELERO_PLUGIN_AWS_VERSION"
s3proxy_dir="$cache_root/s3proxy-$S3PROXY_VERSION"
promtool_dir="$cache_root/promtool-$PROMTOOL_VERSION"

print_paths() {
  cat <<EOF
KUBE_APISERVER=$k8s_dir/kube-apiserver
KUBECTL=$k8s_dir/kubectl
ETCD=$etcd_dir/etcd
VELERO=$velero_dir/velero
VELERO_PLUGIN_DIR=$plugin_dir
S3PROXY_JAR=$s3proxy_dir/s3proxy.jar
PROMTOOL=$promtool_dir/promtool
EOF
}

log() { printf '[testkit] %s\n' "$*" >&2; }

# Hash of everything that determines a directory's content.
inputs_hash() {
  local module_dir="$1"; shift
  {
    printf '%s\n' "$@"
    go version 2>/dev/null || true
    if [[ -n "$module_dir" ]]; then
      cat "$module_dir"/go.mod "$module_dir"/go.sum
      find "$module_dir" -maxdepth 1 -name '*.go' -print0 | sort -z | xargs -0 -r cat
    fi
  } | sha256sum | cut -c1-16
}

is_fresh() { # dir hash files...
  local dir="$1" hash="$2"; shift 2
  [[ -f "$dir/.stamp" && "$(cat "$dir/.stamp")" == "$hash" ]] || return 1
  local f
  for f in "$@"; do [[ -s "$dir/$f" ]] || return 1; done
}

# Go environment for every build: the installed toolchain only, the committed go.sum
# is the truth (readonly), static binaries. sum.golang.org is reachable here, so
# GOSUMDB stays at its default.
go_env=(GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false -trimpath" CGO_ENABLED=0)

# go build with a progress line every ~10% of the packages that need compiling.
# Args: label module_dir output package ldflags [tags]
go_build() {
  local label="$1" module_dir="$2" out="$3" pkg="$4" ldflags="$5" tags="${6:-}"
  local total start rc
  start=$(date +%s)
  log "$label: resolving and downloading modules..."
  local listlog; listlog=$(mktemp)
  # pipefail is on: a failing go list fails the assignment
  if ! total=$( (cd "$module_dir" && env "${go_env[@]}" go list ${tags:+-tags "$tags"} -deps "$pkg" 2>"$listlog" | wc -l) ); then
    grep -v '^go: downloading' "$listlog" >&2; rm -f "$listlog"
    log "$label: resolving modules FAILED"
    return 1
  fi
  grep -v '^go: downloading' "$listlog" >&2 || true
  log "$label: $(grep -c '^go: downloading' "$listlog" || true) modules downloaded"
  rm -f "$listlog"
  log "$label: compiling up to $total packages (cached ones are skipped; a cold build of kube-apiserver takes a long while on 2 cores)..."
  set +e
  (cd "$module_dir" && env "${go_env[@]}" go build -v ${tags:+-tags "$tags"} -ldflags "$ldflags" -o "$out.tmp" "$pkg") 2>&1 |
    awk -v label="$label" -v total="$total" '
      /^(#|go: |.*\.go:[0-9]+)/ { print; fflush(); next }   # errors pass through
      { n++; step = int(total / 10); if (step < 1) step = 1
        if (n % step == 0) { printf "[testkit] %s: %d/%d packages compiled\n", label, n, total; fflush() } }
    ' >&2
  rc=${PIPESTATUS[0]}
  set -e
  if [[ $rc -ne 0 ]]; then
    rm -f "$out.tmp"
    log "$label: go build FAILED (exit $rc)"
    return "$rc"
  fi
  mv -f "$out.tmp" "$out"
  local secs=$(( $(date +%s) - start ))
  log "$label: built in ${secs}s -> $out"
  printf '%s %s %ss\n' "$(date -u +%FT%TZ)" "$label" "$secs" >> "$cache_root/build-times.log"
}

build_k8s() {
  local mod="$here/go/k8s" hash
  hash=$(inputs_hash "$mod" "$K8S_VERSION")
  if is_fresh "$k8s_dir" "$hash" kube-apiserver kubectl; then log "k8s $K8S_VERSION: cached"; return; fi
  mkdir -p "$k8s_dir"; rm -f "$k8s_dir/.stamp"
  local v="$K8S_VERSION" major minor ldf=""
  major="${v#v}"; major="${major%%.*}"; minor="${v#v*.}"; minor="${minor%%.*}"
  local pkgpath key val
  for pkgpath in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    for kv in "gitVersion=$v" "gitMajor=$major" "gitMinor=$minor" "gitTreeState=clean" \
              "buildDate=1970-01-01T00:00:00Z"; do
      key="${kv%%=*}"; val="${kv#*=}"
      ldf+=" -X $pkgpath.$key=$val"
    done
  done
  # Same tags as the upstream release build of 1.34 (hack/lib/golang.sh).
  local tags="selinux,notest,grpcnotrace"
  go_build "kube-apiserver $v" "$mod" "$k8s_dir/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver "-s -w$ldf" "$tags"
  go_build "kubectl $v" "$mod" "$k8s_dir/kubectl" k8s.io/kubernetes/cmd/kubectl "-s -w$ldf" "$tags"
  echo "$hash" > "$k8s_dir/.stamp"
}

build_etcd() {
  local mod="$here/go/etcd" hash
  hash=$(inputs_hash "$mod" "$ETCD_VERSION")
  if is_fresh "$etcd_dir" "$hash" etcd; then log "etcd $ETCD_VERSION: cached"; return; fi
  mkdir -p "$etcd_dir"; rm -f "$etcd_dir/.stamp"
  go_build "etcd $ETCD_VERSION" "$mod" "$etcd_dir/etcd" go.etcd.io/etcd/server/v3 \
    "-s -w -X=go.etcd.io/etcd/api/v3/version.GitSHA=module-$ETCD_VERSION"
  echo "$hash" > "$etcd_dir/.stamp"
}

build_velero() {
  local mod="$here/go/velero" hash p=github.com/vmware-tanzu/velero/pkg/buildinfo
  hash=$(inputs_hash "$mod" "$VELERO_VERSION" "$VELERO_GIT_SHA")
  if is_fresh "$velero_dir" "$hash" velero; then log "velero $VELERO_VERSION: cached"; return; fi
  mkdir -p "$velero_dir"; rm -f "$velero_dir/.stamp"
  go_build "velero $VELERO_VERSION" "$mod" "$velero_dir/velero" . \
    "-s -w -X $p.Version=$VELERO_VERSION -X $p.GitSHA=$VELERO_GIT_SHA -X $p.GitTreeState=clean -X $p.ImageRegistry=velero"
  echo "$hash" > "$velero_dir/.stamp"
}

build_plugin() {
  local mod="$here/go/velero-plugin-for-aws" hash
  hash=$(inputs_hash "$mod" "$VELERO_PLUGIN_AWS_VERSION")
  if is_fresh "$plugin_dir" "$hash" velero-plugin-for-aws; then log "velero-plugin-for-aws $VELERO_PLUGIN_AWS_VERSION: cached"; return; fi
  mkdir -p "$plugin_dir"; rm -f "$plugin_dir/.stamp"
  go_build "velero-plugin-for-aws $VELERO_PLUGIN_AWS_VERSION" "$mod" "$plugin_dir/velero-plugin-for-aws" \
    github.com/vmware-tanzu/velero-plugin-for-aws/velero-plugin-for-aws "-s -w"
  # The directory is Velero's --plugin-dir: every executable in it is a plugin, so the
  # stamp must not be executable (it is not: plain file mode 644).
  echo "$hash" > "$plugin_dir/.stamp"
}

build_promtool() {
  local mod="$here/go/promtool" hash p=github.com/prometheus/common/version
  hash=$(inputs_hash "$mod" "$PROMTOOL_VERSION")
  if is_fresh "$promtool_dir" "$hash" promtool; then log "promtool $PROMTOOL_VERSION: cached"; return; fi
  mkdir -p "$promtool_dir"; rm -f "$promtool_dir/.stamp"
  # remove_all_sd: without the cloud service discoveries (rules need none), a fifth fewer packages
  go_build "promtool $PROMTOOL_VERSION" "$mod" "$promtool_dir/promtool" github.com/prometheus/prometheus/cmd/promtool \
    "-s -w -X $p.Version=$PROMTOOL_VERSION -X $p.Branch=module -X $p.Revision=module-$PROMTOOL_VERSION" remove_all_sd
  echo "$hash" > "$promtool_dir/.stamp"
}

fetch_s3proxy() {
  local hash
  hash=$(inputs_hash "" "$S3PROXY_VERSION")
  if is_fresh "$s3proxy_dir" "$hash" s3proxy.jar; then log "s3proxy $S3PROXY_VERSION: cached"; return; fi
  mkdir -p "$s3proxy_dir"; rm -f "$s3proxy_dir/.stamp"
  log "s3proxy $S3PROXY_VERSION: fetching org.gaul:s3proxy:jar-with-dependencies from Maven Central..."
  local start; start=$(date +%s)
  if ! mvn -B -ntp -C -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" \
    -DoutputDirectory="$s3proxy_dir" -Dmdep.stripVersion=true -Dmdep.stripClassifier=true \
    > "$s3proxy_dir/mvn.log" 2>&1; then
    cat "$s3proxy_dir/mvn.log" >&2
    log "s3proxy: mvn dependency:copy failed"
    return 1
  fi
  [[ -s "$s3proxy_dir/s3proxy.jar" ]] || { log "s3proxy: expected $s3proxy_dir/s3proxy.jar after mvn dependency:copy"; return 1; }
  log "s3proxy $S3PROXY_VERSION: fetched in $(( $(date +%s) - start ))s -> $s3proxy_dir/s3proxy.jar"
  echo "$hash" > "$s3proxy_dir/.stamp"
}

check_tools() {
  command -v go >/dev/null || { log "go is not installed (Go >= 1.26 needed)"; exit 1; }
  command -v mvn >/dev/null || { log "mvn is not installed"; exit 1; }
  local gov; gov=$(GOTOOLCHAIN=local go env GOVERSION); gov="${gov#go}"
  if [[ "$(printf '%s\n1.26.0\n' "$gov" | sort -V | head -1)" != "1.26.0" ]]; then
    log "Go $gov is too old: etcd $ETCD_VERSION needs Go >= 1.26.0 (GOTOOLCHAIN=local: no toolchain download)"; exit 1
  fi
}

case "$mode" in
  --print-paths) print_paths; exit 0 ;;
  --check)
    ok=0
    is_fresh "$k8s_dir" "$(inputs_hash "$here/go/k8s" "$K8S_VERSION")" kube-apiserver kubectl || ok=1
    is_fresh "$etcd_dir" "$(inputs_hash "$here/go/etcd" "$ETCD_VERSION")" etcd || ok=1
    is_fresh "$velero_dir" "$(inputs_hash "$here/go/velero" "$VELERO_VERSION" "$VELERO_GIT_SHA")" velero || ok=1
    is_fresh "$plugin_dir" "$(inputs_hash "$here/go/velero-plugin-for-aws" "$VELERO_PLUGIN_AWS_VERSION")" velero-plugin-for-aws || ok=1
    is_fresh "$s3proxy_dir" "$(inputs_hash "" "$S3PROXY_VERSION")" s3proxy.jar || ok=1
    is_fresh "$promtool_dir" "$(inputs_hash "$here/go/promtool" "$PROMTOOL_VERSION")" promtool || ok=1
    exit $ok ;;
  build) ;;
  *) echo "usage: $0 [--print-paths|--check]" >&2; exit 2 ;;
esac

check_tools
mkdir -p "$cache_root"
started=$(date +%s)
# Serial on purpose: 2 cores; each go build already uses all of them.
fetch_s3proxy
build_etcd
build_plugin
build_velero
build_k8s
build_promtool
log "test kit ready in $(( $(date +%s) - started ))s (cache: $cache_root)"
print_paths
