#include "pybind.hpp"
#include "vipreport/survival.hpp"

namespace vipreport::bindings {

namespace {

py::dict curve_dict(SurvivalCurve&& curve) {
    py::dict out;
    out["time"] = to_numpy(std::move(curve.time));
    out["at_risk"] = to_numpy(std::move(curve.at_risk));
    out["events"] = to_numpy(std::move(curve.events));
    out["competing"] = to_numpy(std::move(curve.competing));
    out["censored"] = to_numpy(std::move(curve.censored));
    out["survival"] = to_numpy(std::move(curve.survival));
    out["greenwood"] = to_numpy(std::move(curve.greenwood));
    out["incidence"] = to_numpy(std::move(curve.incidence));
    return out;
}

template <typename Estimator>
py::dict estimate(Estimator estimator, const py::array& duration, const py::array& code) {
    const auto d = column<int32_t>(duration, "duration");
    const auto c = column<uint8_t>(code, "event");
    const auto n = static_cast<std::size_t>(d.size());
    check_same_length(n, static_cast<std::size_t>(c.size()), "event");
    SurvivalCurve curve;
    {
        py::gil_scoped_release release;
        curve = estimator(d.data(), c.data(), n);
    }
    return curve_dict(std::move(curve));
}

}  // namespace

void bind_survival(py::module_& m) {
    m.def(
        "kaplan_meier",
        [](const py::array& duration, const py::array& event) {
            return estimate(&kaplan_meier, duration, event);
        },
        py::arg("duration"), py::arg("event"));
    m.def(
        "aalen_johansen",
        [](const py::array& duration, const py::array& cause) {
            return estimate(&aalen_johansen, duration, cause);
        },
        py::arg("duration"), py::arg("cause"));
}

}  // namespace vipreport::bindings
