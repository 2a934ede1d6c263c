// output_file.h: the one writer of every file Attune hands to a person
// (exports, bundles, screenshots, keys): what kind of thing the path names
// decides how it is written.
//   - a regular file, or a name that does not exist yet: written to a
//     temporary file beside it (mode 0600), flushed to disk, then renamed over
//     it, so a failed or interrupted write never leaves half a file where the
//     user expects a whole one;
//   - a symbolic link: the file it points to is written as above, and the
//     link stays a link;
//   - a character or block device, a FIFO or a socket (/dev/stdout, a pipe):
//     opened and written directly, never replaced by a regular file.
// "-" is not a path here: the caller writes standard output itself.
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

namespace attune::formats {

struct OutputWritten {
    std::filesystem::path written;  // the file really written (a link's target)
    bool replaced_atomically = false;  // false: written in place (a device, a FIFO)
};

// Throws attune::Error (Io) with one sentence naming the path and the reason;
// then nothing was replaced.
//
// `before_commit`, when given, runs once the bytes are complete on disk but
// before they take the file's place (for a device or FIFO: after writing, as
// nothing can be taken back there); if it throws, the temporary file is
// removed, the file the user had is left as it was, and the exception passes
// on. Exports record their audit row there: a row only for a file written,
// and no file without its row.
OutputWritten write_output(const std::filesystem::path& path, std::string_view bytes,
                           const std::function<void(const OutputWritten& about_to_be)>& before_commit = {});

}  // namespace attune::formats
