#include "pybind.hpp"
#include "vipreport/survival.hpp"

namespace vipreport::bindings {

namespace {

// `code_name` is the second argument's name as bound ("event" or "cause"), for error messages.
template <typename Estimator>
SurvivalCurve estimate(Estimator estimator, const py::array& duration, const py::array& code,
                       const char* code_name) {
    const auto d = column<int32_t>(duration, "duration");
    const auto c = column<uint8_t>(code, code_name);
    const auto n = static_cast<std::size_t>(d.size());
    check_same_length(n, static_cast<std::size_t>(c.size()), code_name);
    SurvivalCurve curve;
    {
        py::gil_scoped_release release;
        curve = estimator(d.data(), c.data(), n);
    }
    return curve;
}

}  // namespace

void bind_survival(py::module_& m) {
    ResultClass<SurvivalCurve>(m, "SurvivalCurve",
                               "kaplan_meier's or aalen_johansen's result: one row per distinct duration.")
        .array("time", &SurvivalCurve::time, "Each distinct duration, ascending (int32).")
        .array("at_risk", &SurvivalCurve::at_risk, "Durations at or after time (int64).")
        .array("events", &SurvivalCurve::events, "Events of interest at time (int64).")
        .array("competing", &SurvivalCurve::competing,
               "Competing events at time (int64; zeros from kaplan_meier).")
        .array("censored", &SurvivalCurve::censored, "Censored at time (int64).")
        .array("survival", &SurvivalCurve::survival, "All-cause survival just after time (float64).")
        .array("greenwood", &SurvivalCurve::greenwood, "Running Greenwood sum (float64).")
        .array("incidence", &SurvivalCurve::incidence,
               "Cumulative incidence of the event of interest (float64; empty from kaplan_meier).");
    m.def(
        "kaplan_meier",
        [](const py::array& duration, const py::array& event) {
            return estimate(&kaplan_meier, duration, event, "event");
        },
        py::arg("duration"), py::arg("event"));
    m.def(
        "aalen_johansen",
        [](const py::array& duration, const py::array& cause) {
            return estimate(&aalen_johansen, duration, cause, "cause");
        },
        py::arg("duration"), py::arg("cause"));
}

}  // namespace vipreport::bindings
