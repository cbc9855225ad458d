// The one place the bindings include pybind11, plus the array conventions
// every bind_*.cpp shares: C-contiguous typed inputs, zero-copy outputs.
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "vipreport/grid.hpp"

namespace py = pybind11;

namespace vipreport::bindings {

template <typename T>
using Column = py::array_t<T, py::array::c_style | py::array::forcecast>;

template <typename T>
const T* column_data(const Column<T>& column, const char* name) {
    if (column.ndim() != 1)
        throw std::invalid_argument(std::string(name) + " must be one-dimensional, got " +
                                    std::to_string(column.ndim()) + " dimensions");
    return column.data();
}

inline void check_same_length(std::size_t expected, std::size_t got, const char* name) {
    if (expected != got)
        throw std::invalid_argument(std::string(name) + " has " + std::to_string(got) +
                                    " rows, expected " + std::to_string(expected));
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
    const auto shape = std::vector<py::ssize_t>{static_cast<py::ssize_t>(grid.rows),
                                                static_cast<py::ssize_t>(grid.cols)};
    return to_numpy(std::move(grid.values), shape);
}

void bind_calendar(py::module_& m);
void bind_tabulate(py::module_& m);
void bind_recidivism(py::module_& m);
void bind_engagement(py::module_& m);
void bind_caseload(py::module_& m);
void bind_trends(py::module_& m);
void bind_summary(py::module_& m);
void bind_survival(py::module_& m);

}  // namespace vipreport::bindings
