// commands.cpp: the command table, filled once by each group of commands
// from its own file (commands_<group>.cpp).
#include "app/cli.h"
#include "app/gui_main.h"

namespace attune::app {

void register_practice_commands();     // commands_practice.cpp: init, check
void register_case_commands();         // commands_cases.cpp: case, session, log
void register_people_commands();       // commands_people.cpp: person, key, case supervisor|share, session assign
void register_demo_commands();         // commands_demo.cpp
void register_import_commands();       // commands_import.cpp
void register_metrics_commands();      // commands_metrics.cpp
void register_export_commands();       // commands_export.cpp
void register_supervision_commands();  // commands_supervision.cpp
void register_security_commands();     // commands_security.cpp
void register_bundle_commands();       // commands_bundle.cpp
void register_recording_commands();    // commands_recordings.cpp: session pause, recording, excerpt
void register_measure_commands();      // commands_measures.cpp: measure, instrument, session rate, change events
void register_server_commands();       // commands_server.cpp: server init

void register_all_commands() {
    if (!command_table().empty()) return;
    register_practice_commands();
    register_case_commands();
    register_people_commands();
    register_demo_commands();
    register_import_commands();
    register_metrics_commands();
    register_export_commands();
    register_supervision_commands();
    register_security_commands();
    register_bundle_commands();
    register_recording_commands();
    register_measure_commands();
    register_server_commands();
    register_gui_commands();
}

}  // namespace attune::app
