#include <optional>
#include <tuple>

#include "pybind.hpp"
#include "vipreport/text.hpp"

namespace vipreport::bindings {

namespace {

// Chunks arrive as (offsets, data) pairs of an Arrow string or large_string
// array's buffers, viewed as NumPy arrays without copying.
struct Chunks {
    std::vector<py::array> keep;  // the arrays the views point into
    std::vector<TextChunk> chunks;
};

Chunks text_chunks(const std::vector<std::pair<py::array, py::array>>& pairs) {
    Chunks out;
    for (const auto& [offsets, data] : pairs) {
        if (offsets.ndim() != 1 || offsets.size() < 1)
            throw std::invalid_argument("offsets must be one-dimensional with at least one entry");
        const char kind = offsets.dtype().kind();
        const auto width = offsets.dtype().itemsize();
        if (kind != 'i' || (width != 4 && width != 8))
            throw py::type_error("offsets must be int32 or int64, got dtype " +
                                 py::str(offsets.dtype()).cast<std::string>());
        TextChunk chunk;
        chunk.n = static_cast<std::size_t>(offsets.size() - 1);
        py::array off = width == 4 ? py::array(column<int32_t>(offsets, "offsets"))
                                   : py::array(column<int64_t>(offsets, "offsets"));
        const auto bytes = column<uint8_t>(data, "data");
        const int64_t first = width == 4 ? static_cast<const int32_t*>(off.data())[0]
                                         : static_cast<const int64_t*>(off.data())[0];
        const int64_t last = width == 4 ? static_cast<const int32_t*>(off.data())[chunk.n]
                                        : static_cast<const int64_t*>(off.data())[chunk.n];
        if (first < 0 || last < first || last > bytes.size())
            throw std::out_of_range("offsets run outside data (" + std::to_string(first) + ".." +
                                    std::to_string(last) + " of " + std::to_string(bytes.size()) + " bytes)");
        if (width == 4)
            chunk.offsets32 = static_cast<const int32_t*>(off.data());
        else
            chunk.offsets64 = static_cast<const int64_t*>(off.data());
        chunk.data = bytes.data();
        out.keep.push_back(off);
        out.keep.push_back(bytes);
        out.chunks.push_back(chunk);
    }
    return out;
}

}  // namespace

void bind_text(py::module_& m) {
    m.attr("BLANK_DAY") = kBlankDay;
    m.attr("NOT_ISO_DAY") = kNotIsoDay;
    m.def(
        "iso_days",
        [](const std::vector<std::pair<py::array, py::array>>& chunks) {
            const Chunks input = text_chunks(chunks);
            std::vector<int32_t> out;
            {
                py::gil_scoped_release release;
                out = iso_days(input.chunks);
            }
            const auto n = static_cast<py::ssize_t>(out.size());
            return to_numpy(std::move(out), {n});
        },
        py::arg("chunks"),
        "Day numbers (int32) of text cells written exactly YYYY-MM-DD, given as [(offsets, data), ...] "
        "Arrow buffers; BLANK_DAY for an empty cell, NOT_ISO_DAY for any other text.");
    m.def(
        "person_id_codes",
        [](const std::vector<std::pair<py::array, py::array>>& chunks)
            -> std::optional<std::tuple<py::array_t<int64_t>, py::array_t<uint8_t>, py::array_t<int64_t>,
                                        py::array_t<uint8_t>>> {
            const Chunks input = text_chunks(chunks);
            PersonIdCodes out;
            {
                py::gil_scoped_release release;
                out = person_id_codes(input.chunks);
            }
            if (!out.ascii) return std::nullopt;
            const auto n = static_cast<py::ssize_t>(out.keys.size());
            const auto offsets = static_cast<py::ssize_t>(out.offsets.size());
            const auto bytes = static_cast<py::ssize_t>(out.text.size());
            return std::make_tuple(to_numpy(std::move(out.keys), {n}), to_numpy(std::move(out.merged), {n}),
                                   to_numpy(std::move(out.offsets), {offsets}),
                                   to_numpy(std::move(out.text), {bytes}));
        },
        py::arg("chunks"),
        "Canonical person ids of [(offsets, data), ...] Arrow buffers: (keys int64, merged uint8, "
        "offsets int64, text uint8) with the distinct canonical ids in byte order, or None when an "
        "id holds a non-ASCII byte.");
}

}  // namespace vipreport::bindings
