// The one place the bindings include pybind11, plus the array conventions
// every bind_*.cpp shares: C-contiguous typed inputs, zero-copy outputs.
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstddef>
#include <memory>
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
py::array_t<T> to_numpy(Grid<T>&& grid) {
    const auto shape =
        std::vector<py::ssize_t>{static_cast<py::ssize_t>(grid.rows), static_cast<py::ssize_t>(grid.cols)};
    return to_numpy(std::move(grid.values), shape);
}

// A read-only NumPy view of a vector owned by a bound result object: no copy, and
// the array's base is the result, which it keeps alive. Read-only because a result
// may be memoised and shared (the cohort): a write through one caller's view would
// change every later figure.
template <typename T>
py::array_t<T> view(const std::vector<T>& values, std::vector<py::ssize_t> shape, py::handle owner) {
    py::array_t<T> out(std::move(shape), values.data(), owner);
    py::detail::array_proxy(out.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return out;
}

template <typename T>
py::array_t<T> view(const std::vector<T>& values, py::handle owner) {
    return view(values, {static_cast<py::ssize_t>(values.size())}, owner);
}

template <typename T>
py::array_t<T> view(const Grid<T>& grid, py::handle owner) {
    return view(grid.values, {static_cast<py::ssize_t>(grid.rows), static_cast<py::ssize_t>(grid.cols)},
                owner);
}

// Binds a kernel's result struct as a Python class with read-only properties,
// in the manner of boost-histogram's accumulators: arrays are views (above),
// scalars are plain numbers, and the repr lists the fields with their shapes,
// never their values (which may be about persons). Python cannot construct one.
template <typename Result>
class ResultClass {
  public:
    ResultClass(py::module_& m, const char* name, const char* doc)
        : cls_(m, name, doc), name_(name), fields_(std::make_shared<std::vector<Field>>()) {
        cls_.def("__repr__", [name = name_, fields = fields_](const py::object& self) {
            std::string out = name + "(";
            for (std::size_t i = 0; i < fields->size(); ++i) {
                const Field& field = (*fields)[i];
                out += (i ? ", " : "") + field.name;
                if (!field.is_array) continue;
                const auto values = py::cast<py::array>(self.attr(field.name.c_str()));
                for (py::ssize_t d = 0; d < values.ndim(); ++d)
                    out += (d ? "x" : ": ") + std::to_string(values.shape(d));
            }
            return out + ")";
        });
    }

    // A vector or Grid member, as a NumPy view.
    template <typename Member>
    ResultClass& array(const char* name, Member Result::* member, const char* doc) {
        cls_.def_property_readonly(
            name, [member](const py::object& self) { return view(self.cast<const Result&>().*member, self); },
            doc);
        fields_->push_back({name, true});
        return *this;
    }

    // A number.
    template <typename Member>
    ResultClass& scalar(const char* name, Member Result::* member, const char* doc) {
        cls_.def_readonly(name, member, doc);
        fields_->push_back({name, false});
        return *this;
    }

  private:
    struct Field {
        std::string name;
        bool is_array;
    };
    py::class_<Result> cls_;
    std::string name_;
    std::shared_ptr<std::vector<Field>> fields_;  // shared with __repr__, which outlives this builder
};

// Maps the core's C++ exceptions to vipreport.errors classes (errors.cpp).
void register_errors();

void bind_calendar(py::module_& m);
void bind_counts(py::module_& m);
void bind_success(py::module_& m);
void bind_engagement(py::module_& m);
void bind_caseload(py::module_& m);
void bind_summary(py::module_& m);
void bind_survival(py::module_& m);
void bind_text(py::module_& m);
void bind_repeats(py::module_& m);
void bind_digest(py::module_& m);

}  // namespace vipreport::bindings
