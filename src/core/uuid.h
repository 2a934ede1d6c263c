// uuid.h: random (version 4) UUIDs for rows that travel between databases.
#pragma once

#include <string>

namespace attune {

std::string new_uuid();                       // "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
bool is_valid_uuid(const std::string& text);  // lower-case hex, 8-4-4-4-12

}  // namespace attune
