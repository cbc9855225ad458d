// The one place the bindings include pybind11, plus the array conventions
// every bind_*.cpp shares: C-contiguous typed inputs, zero-copy outputs.
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "vipreport/grid.hpp"

namespace py = pybind11;

namespace vipreport::bindings {

template <typename T>
using Column = py::array_t<T, py::array::c_style | py::array::forcecast>;

// Whether an array of this NumPy dtype converts to T without losing values:
// integers only widen, flags are bool or one-byte integers, floats take any number.
template <typename T>
bool converts_exactly(char kind, py::ssize_t itemsize) {
    const auto size = static_cast<py::ssize_t>(sizeof(T));
    if constexpr (std::is_floating_point_v<T>) {
        return kind == 'f' || kind == 'i' || kind == 'u';
    } else if constexpr (std::is_same_v<T, uint8_t>) {
        return kind == 'b' || ((kind == 'u' || kind == 'i') && itemsize == 1);
    } else {
        return kind == 'b' || (kind == 'i' && itemsize <= size) || (kind == 'u' && itemsize < size);
    }
}

template <typename T>
std::string type_name() {
    if constexpr (std::is_floating_point_v<T>)
        return "numbers";
    else if constexpr (std::is_same_v<T, uint8_t>)
        return "flags (bool or uint8)";
    else
        return "integers of at most " + std::to_string(8 * sizeof(T)) + " bits";
}

// Checks an input's dtype and shape, then views it as C-contiguous T
// (a copy only when the layout or width differs).
template <typename T>
Column<T> checked(const py::array& array, const char* name, py::ssize_t ndim) {
    if (array.ndim() != ndim)
        throw std::invalid_argument(std::string(name) + " must have " + std::to_string(ndim) +
                                    " dimension(s), got " + std::to_string(array.ndim()));
    const char kind = array.dtype().kind();
    if (array.size() > 0 && !converts_exactly<T>(kind, array.dtype().itemsize()))
        throw py::type_error(std::string(name) + " must hold " + type_name<T>() + ", got dtype " +
                             py::str(array.dtype()).cast<std::string>());
    return Column<T>::ensure(array);
}

template <typename T>
Column<T> column(const py::array& array, const char* name) {
    return checked<T>(array, name, 1);
}

template <typename T>
Grid<T> grid(const py::array& array, const char* name) {
    const Column<T> values = checked<T>(array, name, 2);
    Grid<T> out(static_cast<std::size_t>(values.shape(0)), static_cast<std::size_t>(values.shape(1)));
    std::copy(values.data(), values.data() + values.size(), out.values.begin());
    return out;
}

inline void check_same_length(std::size_t expected, std::size_t got, const char* name) {
    if (expected != got)
        throw std::invalid_argument(std::string(name) + " has " + std::to_string(got) + " rows, expected " +
                                    std::to_string(expected));
}

// Hands a vector's buffer to NumPy without copying: the vector moves into a
// capsule that the array owns.
template <typename T>
py::array_t<T> to_numpy(std::vector<T>&& values, std::vector<py::ssize_t> shape) {
    auto* owner = new std::vector<T>(std::move(values));
    py::capsule free_owner(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
    return py::array_t<T>(shape, owner->data(), free_owner);
}

template <typename T>
py::array_t<T> to_numpy(std::vector<T>&& values) {
    const auto n = static_cast<py::ssize_t>(values.size());
    return to_numpy(std::move(values), {n});
}

template <typename T>
py::array_t<T> to_numpy(Grid<T>&& grid) {
    const auto shape =
        std::vector<py::ssize_t>{static_cast<py::ssize_t>(grid.rows), static_cast<py::ssize_t>(grid.cols)};
    return to_numpy(std::move(grid.values), shape);
}

// Maps the core's C++ exceptions to vipreport.errors classes (errors.cpp).
void register_errors();

void bind_calendar(py::module_& m);
void bind_tabulate(py::module_& m);
void bind_recidivism(py::module_& m);
void bind_engagement(py::module_& m);
void bind_caseload(py::module_& m);
void bind_summary(py::module_& m);
void bind_survival(py::module_& m);

}  // namespace vipreport::bindings
