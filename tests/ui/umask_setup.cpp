// test_ui makes its files as Attune does (src/app/main.cpp sets umask 077
// first): the user's alone, so that opening a practice has nothing to tighten
// and says nothing, unless a test loosens a file on purpose.
#include <sys/stat.h>

namespace {

[[maybe_unused]] const bool kUmaskSet = [] {
    ::umask(077);
    return true;
}();

}  // namespace
