// error.h: the one error type the layers above core report to people: one
// plain sentence saying what and where, and a kind that decides what the
// command line exits with and whether the window asks for the passphrase
// again. The store throws it (as store::StoreError), services pass it on, the
// window shows what() and the command line prints it.
#pragma once

#include <stdexcept>
#include <string>

namespace attune {

class Error : public std::runtime_error {
public:
    enum class Kind {
        WrongPassphrase,  // or a file that is not an SQLite database at all
        NotAttune,        // an SQLite database written by something else
        NewerSchema,      // written by a newer Attune
        NoEncryption,     // SQLCipher missing: refuse rather than write plaintext
        NotFound,         // no such database, case, session, ...
        Invalid,          // a value the user gave is not acceptable
        Locked,           // another Attune is writing this database
        ReadOnly,         // the database was opened read-only
        Io,               // disk full, file gone, permission, corruption
        Denied,           // the signed-in person may not do this
    };
    Error(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

}  // namespace attune
