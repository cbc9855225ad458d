// Entry point of vipreport._core: registers each concept's bindings, nothing else.
#include "pybind.hpp"

PYBIND11_MODULE(_core, m) {
    m.doc() =
        "vipreport's C++ core (private; use the vipreport package API).\n\n"
        "Day numbers are int32 days since 1970-01-01; month indices are year*12 + month-1;\n"
        "person keys are int64.";
    using namespace vipreport::bindings;
    register_errors();
    bind_calendar(m);
    bind_counts(m);
    bind_success(m);
    bind_engagement(m);
    bind_caseload(m);
    bind_summary(m);
    bind_survival(m);
    bind_text(m);
    bind_repeats(m);
    bind_digest(m);
}
