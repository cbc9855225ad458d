// Text columns as the loader reads them (Arrow's string layout: n + 1 offsets
// into one byte buffer), turned into integer codes.
#pragma once
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace vipreport {

// One Arrow string array's buffers: 32-bit (string) or 64-bit (large_string)
// offsets, exactly one of the two set.
struct TextChunk {
    const int32_t* offsets32 = nullptr;
    const int64_t* offsets64 = nullptr;
    std::size_t n = 0;
    const uint8_t* data = nullptr;

    std::string_view value(std::size_t i) const {
        const auto begin = offsets32 ? static_cast<int64_t>(offsets32[i]) : offsets64[i];
        const auto end = offsets32 ? static_cast<int64_t>(offsets32[i + 1]) : offsets64[i + 1];
        return {reinterpret_cast<const char*>(data) + begin, static_cast<std::size_t>(end - begin)};
    }
};

// Person ids of every table, canonicalised and keyed together.
struct PersonIdCodes {
    bool ascii = true;             // false: a byte >= 0x80 was found and nothing else is filled
    std::vector<int64_t> keys;     // per row: rank of its canonical id among the distinct ones
    std::vector<uint8_t> merged;   // per row: 1 when spelled unlike its canonical id, for an id
                                   // that has several spellings in the data
    std::vector<int64_t> offsets;  // the distinct canonical ids in byte order (large_string layout)
    std::vector<uint8_t> text;
};

// The canonical form of an id drops ASCII whitespace, hyphens, underscores and
// dots and lowers ASCII letters ("P-001 " -> "p001"); leading zeros stay.
// Ids holding other bytes are left to the caller (ascii = false).
PersonIdCodes person_id_codes(const std::vector<TextChunk>& chunks);

// Day numbers of cells written exactly YYYY-MM-DD (a real date, year 0001 or
// later); an empty cell gives kBlankDay, any other text kNotIsoDay. Exports
// mostly write dates this way, so a column typically needs no other parser.
constexpr int32_t kBlankDay = INT32_MIN;
constexpr int32_t kNotIsoDay = INT32_MIN + 1;
std::vector<int32_t> iso_days(const std::vector<TextChunk>& chunks);

}  // namespace vipreport
