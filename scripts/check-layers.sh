#!/usr/bin/env bash
# The layers' dependencies point one way (README, "Layout"):
#   app -> ui -> services -> formats/store -> core
# The build enforces most of it (attune_ui does not link attune_store); this
# check catches the includes the linker cannot see. CI runs it (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
fail() { echo "layers: $1" >&2; status=1; }
forbid() {  # forbid FOLDER PATTERN WHY
  local hits
  hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<]($2)" "src/$1" --include='*.h' --include='*.cpp' || true)
  if [ -n "$hits" ]; then fail "$3"; echo "$hits" >&2; fi
}
forbid core "store/|formats/|services/|ui/|app/|imgui|SQLiteCpp|sqlcipher" "src/core is pure: it includes nothing of the other layers"
forbid store "formats/|services/|ui/|app/|imgui" "src/store includes only core"
forbid formats "store/|services/|ui/|app/|imgui|SQLiteCpp|sqlcipher" "src/formats works on plain structs: no database"
forbid services "ui/|app/|imgui" "src/services includes no UI"
forbid ui "store/|formats/|app/|SQLiteCpp|sqlcipher" "src/ui includes only core and services"
forbid app "store/|SQLiteCpp|sqlcipher|services/practice_access.h|services/metrics_internal.h|services/export_gather.h|services/media_internal.h|services/trust_internal.h|services/measures_internal.h|services/process_detail.h|services/practice_sync_internal.h" \
  "src/app calls the services, never the store"
# Public services headers name no store type: the window compiles without the store.
for header in src/services/*.h; do
  case "$header" in
    */practice_access.h|*/metrics_internal.h|*/export_gather.h|*/media_internal.h|*/trust_internal.h|*/measures_internal.h|*/process_detail.h|*/practice_sync_internal.h) continue ;;  # private to src/services (and the bench)
  esac
  if grep -qE '#include "store/|store::' "$header"; then fail "$header is a public services header but names the store"; fi
done
[ "$status" -eq 0 ] && echo "layers: every include points the right way"
exit "$status"
