#include "pybind.hpp"
#include "vipreport/repeats.hpp"

namespace vipreport::bindings {

void bind_repeats(py::module_& m) {
    m.def(
        "repeated",
        [](py::array values) {
            // int64 and uint64 are both 64-bit words here: only equality matters.
            const char kind = values.dtype().kind();
            if (values.ndim() != 1)
                throw std::invalid_argument("values must have 1 dimension(s), got " +
                                            std::to_string(values.ndim()));
            if (values.size() > 0 && !((kind == 'i' || kind == 'u') && values.dtype().itemsize() == 8))
                throw py::type_error("values must hold 64-bit integers, got dtype " +
                                     py::str(values.dtype()).cast<std::string>());
            const auto words = py::array_t<uint64_t, py::array::c_style>::ensure(
                values.size() > 0 ? values.view("uint64") : py::array_t<uint64_t>(0));
            const auto n = static_cast<std::size_t>(words.size());
            std::vector<uint8_t> out;
            {
                py::gil_scoped_release release;
                out = repeated(words.data(), n);
            }
            py::array_t<bool> flags(static_cast<py::ssize_t>(n));
            std::copy(out.begin(), out.end(), flags.mutable_data());  // 0/1 bytes are NumPy's bools
            return flags;
        },
        py::arg("values"), "Per row, True when its value (64-bit integers) equals an earlier row's.");
}

}  // namespace vipreport::bindings
