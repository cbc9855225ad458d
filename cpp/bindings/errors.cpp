// Core errors reach Python as vipreport.errors classes, so `except VipReportError`
// catches them. Each class also keeps the builtin base pybind11 would have used
// (ValueError, IndexError, TypeError, OverflowError), so older handlers still work.
#include "pybind.hpp"

namespace vipreport::bindings {

namespace {

// The classes live as long as the interpreter: the references are kept on purpose.
PyObject* value_error = nullptr;
PyObject* index_error = nullptr;
PyObject* type_error = nullptr;
PyObject* overflow_error = nullptr;

PyObject* error_class(const py::module_& errors, const char* name) {
    py::object cls = errors.attr(name);
    return cls.release().ptr();
}

}  // namespace

void register_errors() {
    const py::module_ errors = py::module_::import("vipreport.errors");
    value_error = error_class(errors, "CoreValueError");
    index_error = error_class(errors, "CoreIndexError");
    type_error = error_class(errors, "CoreTypeError");
    overflow_error = error_class(errors, "CoreOverflowError");
    // Only the kinds the core throws are caught here; anything else (py::error_already_set,
    // std::bad_alloc) goes on to pybind11's own translators.
    py::register_exception_translator([](std::exception_ptr thrown) {
        try {
            if (thrown) std::rethrow_exception(thrown);
        } catch (const std::out_of_range& e) {
            PyErr_SetString(index_error, e.what());
        } catch (const std::invalid_argument& e) {
            PyErr_SetString(value_error, e.what());
        } catch (const std::length_error& e) {
            PyErr_SetString(value_error, e.what());
        } catch (const std::domain_error& e) {
            PyErr_SetString(value_error, e.what());
        } catch (const std::overflow_error& e) {
            PyErr_SetString(overflow_error, e.what());
        } catch (const py::type_error& e) {
            PyErr_SetString(type_error, e.what());
        }
    });
}

}  // namespace vipreport::bindings
