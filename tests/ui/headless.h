// headless.h: the UI tests' headless fixture. The harness itself lives in
// src/ui/headless_harness.h, shared with attune-bench, so that the frames the
// bench times are driven exactly as the tests drive them.
#pragma once

#include "ui/headless_harness.h"

namespace attune::test {

using Headless = ::attune::ui::Headless;

}  // namespace attune::test
