#include "formats/sealed_bundle.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/error.h"

namespace attune::formats {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string magic_line() {
    return std::string(kSealedBundleMagic) + "\n";
}

[[noreturn]] void damaged(const fs::path& file, const std::string& what) {
    throw Error(Error::Kind::Invalid, file.filename().string() + " is a damaged or changed sealed bundle (" + what +
                                          "): nothing was imported");
}

std::string text_field(const json& j, const char* name, const fs::path& file) {
    if (!j.contains(name) || !j[name].is_string()) damaged(file, std::string("a recipient has no ") + name);
    return j[name].get<std::string>();
}

// A file open for reading, closed with the object.
class File {
public:
    explicit File(const fs::path& path) : file_(std::fopen(path.c_str(), "rb")) {}
    ~File() {
        if (file_) std::fclose(file_);
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    explicit operator bool() const { return file_ != nullptr; }
    std::FILE* get() const { return file_; }

private:
    std::FILE* file_;
};

}  // namespace

std::string sealed_bundle_header_text(const SealedBundleHeader& header) {
    json recipients = json::array();
    for (const SealedBundleRecipient& r : header.recipients)
        recipients.push_back({{"uuid", r.uuid},
                              {"name", r.name},
                              {"fingerprint", r.fingerprint},
                              {"sealed_key", crypto::to_base64(r.sealed_key)}});
    // dump() escapes control characters, so a name can never break the line.
    const json j{{"version", kSealedBundleVersion}, {"recipients", recipients}};
    return magic_line() + j.dump() + "\n";
}

bool is_sealed_bundle(const fs::path& file) {
    const std::string expected = magic_line();
    File in(file);
    if (!in) return false;
    std::string start(expected.size(), '\0');
    return std::fread(start.data(), 1, start.size(), in.get()) == expected.size() && start == expected;
}

SealedBundleFile read_sealed_bundle(const fs::path& file) {
    File in(file);
    if (!in) throw Error(Error::Kind::NotFound, "no bundle at " + file.string());
    // Read the two lines by hand, bounded: a damaged file may have no newline for megabytes.
    const std::string magic = magic_line();
    std::string text;
    int lines = 0;
    for (int c = std::fgetc(in.get()); c != EOF; c = std::fgetc(in.get())) {
        text.push_back(static_cast<char>(c));
        if (lines == 0 && text.size() <= magic.size() && text.back() != magic[text.size() - 1])
            throw Error(Error::Kind::NotAttune, file.string() + " is not a sealed Attune bundle");
        if (c == '\n' && ++lines == 2) break;
        if (text.size() > kMaxSealedBundleHeader) damaged(file, "its header never ends");
    }
    if (lines == 0) throw Error(Error::Kind::NotAttune, file.string() + " is not a sealed Attune bundle");
    if (lines < 2) damaged(file, "its header never ends");
    SealedBundleFile read;
    read.header_text = text;
    read.payload_offset = text.size();
    const std::string line = text.substr(magic.size(), text.size() - magic.size() - 1);

    const json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) damaged(file, "its header is not JSON");
    if (!j.contains("version") || !j["version"].is_number_integer()) damaged(file, "its header has no version");
    const auto version = j["version"].get<std::int64_t>();
    if (version > kSealedBundleVersion)
        throw Error(Error::Kind::NewerSchema,
                    file.filename().string() + " was written by a newer Attune: update Attune to import it");
    if (version != kSealedBundleVersion) damaged(file, "its version is not one Attune wrote");
    if (!j.contains("recipients") || !j["recipients"].is_array() || j["recipients"].empty())
        damaged(file, "it names no recipients");
    for (const json& r : j["recipients"]) {
        if (!r.is_object()) damaged(file, "a recipient is not an object");
        SealedBundleRecipient recipient;
        recipient.uuid = text_field(r, "uuid", file);
        recipient.name = text_field(r, "name", file);
        recipient.fingerprint = text_field(r, "fingerprint", file);
        const auto sealed = crypto::from_base64(text_field(r, "sealed_key", file));
        if (!sealed) damaged(file, "the sealed key for " + recipient.name + " is not base64");
        recipient.sealed_key = *sealed;
        read.header.recipients.push_back(std::move(recipient));
    }
    return read;
}

void extract_sealed_payload(const fs::path& file, std::uint64_t payload_offset, const fs::path& to) {
    File in(file);
    if (!in) throw Error(Error::Kind::NotFound, "no bundle at " + file.string());
    if (::fseeko(in.get(), static_cast<off_t>(payload_offset), SEEK_SET) != 0)
        throw Error(Error::Kind::NotAttune, file.filename().string() + " is a sealed bundle with no database in it");
    const int fd = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw Error(Error::Kind::Io, "cannot write " + to.string() + " (" + std::strerror(errno) + ")");
    std::vector<char> buffer(1 << 16);
    std::uint64_t total = 0;
    int error = 0;
    for (std::size_t got; error == 0 && (got = std::fread(buffer.data(), 1, buffer.size(), in.get())) > 0;) {
        total += got;
        for (const char* p = buffer.data(); got > 0;) {
            const ssize_t n = ::write(fd, p, got);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                error = n < 0 ? errno : EIO;
                break;
            }
            p += n;
            got -= static_cast<std::size_t>(n);
        }
    }
    if (error == 0 && std::ferror(in.get())) error = EIO;
    ::close(fd);
    if (error != 0) {
        ::unlink(to.c_str());
        throw Error(Error::Kind::Io, "cannot write " + to.string() + " (" + std::strerror(error) + ")");
    }
    if (total == 0) {
        ::unlink(to.c_str());
        throw Error(Error::Kind::NotAttune, file.filename().string() + " is a sealed bundle with no database in it");
    }
}

std::string sealed_bundle_bytes(const std::string& header_text, const fs::path& database) {
    File in(database);
    if (!in) throw Error(Error::Kind::Io, "cannot read the bundle database " + database.string());
    std::string bytes = header_text;
    std::vector<char> buffer(1 << 16);
    for (std::size_t got; (got = std::fread(buffer.data(), 1, buffer.size(), in.get())) > 0;)
        bytes.append(buffer.data(), got);
    if (std::ferror(in.get())) throw Error(Error::Kind::Io, "cannot read the bundle database " + database.string());
    return bytes;
}

}  // namespace attune::formats
