#include "services/people.h"

#include "core/text.h"
#include "services/practice_access.h"
#include "store/repositories.h"
#include "store/signing.h"

namespace attune::services {

std::vector<Person> list_people(OpenPractice& practice) { return store::PeopleRepository(database_of(practice)).list(); }

std::optional<Person> get_person(OpenPractice& practice, RowId person_id) {
    return store::PeopleRepository(database_of(practice)).get(person_id);
}

Person find_person(OpenPractice& practice, const std::string& name) {
    auto person = store::PeopleRepository(database_of(practice)).find(trim(name));
    if (!person) throw Error(Error::Kind::NotFound, "no person named '" + name + "' in this practice");
    return *person;
}

Person add_person(OpenPractice& practice, const std::string& name, PersonRole role) {
    store::Database& db = database_of(practice);
    Person person = store::PeopleRepository(db).find_or_create(trim(name), role);
    if (person.role != role) {
        store::set_person_role(db, person.id, role);
        person.role = role;
    }
    return person;
}

}  // namespace attune::services
