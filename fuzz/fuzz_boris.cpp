// fuzz_boris.cpp: the BORIS importer's steps 1 and 2 (formats/boris.h) on
// arbitrary bytes. Each input is read twice, as a project (`.boris`) and as
// an event export (`.tsv`; the delimiter is sniffed from the content, so
// `.csv` takes the same path), and whatever parses is planned against the
// default coding scheme. The contract: BorisImportError or a result, nothing
// else (any other exception, a crash or a sanitizer report is a bug).
#include "formats/boris.h"
#include "fuzz_support.h"
#include "services/open_practice.h"

using namespace attune;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const fuzz::ScratchDir scratch;
    static const CodingScheme scheme = services::load_default_scheme();
    static const formats::BorisPlanOptions options{{"Ana", "Ben", "Therapist"}, {}, {}, {}, true};
    for (const char* name : {"input.boris", "input.tsv"}) {
        const std::filesystem::path file = scratch.path() / name;
        fuzz::write_bytes(file, data, size);
        try {
            const formats::BorisData parsed = formats::parse_boris_file(file);
            const formats::ImportPlan plan = formats::plan_boris_import(parsed, scheme, options);
            for (const formats::PlannedSession& session : plan.sessions)
                for (const formats::PlannedLayer& layer : session.layers)
                    for (const formats::PlannedObservation& planned : layer.observations)
                        if (planned.observation.t < 0) std::abort();  // times are seconds from the start, >= 0
        } catch (const formats::BorisImportError&) {
        }
    }
    return 0;
}
