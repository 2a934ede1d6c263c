// people.h: the people of a practice (clinicians, supervisors, coders).
#pragma once

#include "core/model.h"

#include <optional>
#include <string>
#include <vector>

namespace attune::services {

class OpenPractice;

std::vector<Person> list_people(OpenPractice& practice);
std::optional<Person> get_person(OpenPractice& practice, RowId person_id);
// NotFound names the person.
Person find_person(OpenPractice& practice, const std::string& name);
// Adds a person with this role, or gives a person already known that role.
Person add_person(OpenPractice& practice, const std::string& name, PersonRole role);

}  // namespace attune::services
