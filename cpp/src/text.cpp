#include "vipreport/text.hpp"

#include "vipreport/calendar.hpp"
#include "vipreport/sort.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>

namespace vipreport {

namespace {

std::size_t total_rows(const std::vector<TextChunk>& chunks) {
    std::size_t n = 0;
    for (const TextChunk& chunk : chunks) n += chunk.n;
    return n;
}

bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool is_separator(unsigned char c) { return is_space(c) || c == '-' || c == '_' || c == '.'; }
unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c + 32) : c; }

std::string_view trimmed(std::string_view s) {
    std::size_t begin = 0, end = s.size();
    while (begin < end && is_space(static_cast<unsigned char>(s[begin]))) ++begin;
    while (end > begin && is_space(static_cast<unsigned char>(s[end - 1]))) --end;
    return s.substr(begin, end - begin);
}

// Arrow's offsets never decrease; a caller's buffers are checked before any is read.
void check_offsets(const TextChunk& chunk) {
    for (std::size_t i = 0; i < chunk.n; ++i) {
        const bool decreases = chunk.offsets32 ? chunk.offsets32[i + 1] < chunk.offsets32[i]
                                               : chunk.offsets64[i + 1] < chunk.offsets64[i];
        if (decreases) throw std::invalid_argument("offsets decrease at row " + std::to_string(i));
    }
}

std::size_t total_bytes(const TextChunk& chunk) {
    const auto first = chunk.offsets32 ? static_cast<int64_t>(chunk.offsets32[0]) : chunk.offsets64[0];
    const auto last =
        chunk.offsets32 ? static_cast<int64_t>(chunk.offsets32[chunk.n]) : chunk.offsets64[chunk.n];
    return static_cast<std::size_t>(last - first);
}

// Row indices in ascending order of key, equal keys in row order (key is left
// sorted): a least significant digit radix sort, 8 bits a pass, skipping the
// bytes all keys share.
std::vector<uint32_t> radix_order(std::vector<uint64_t>& sorted) {
    const std::size_t n = sorted.size();
    std::vector<uint32_t> order(n), scratch(n);
    std::iota(order.begin(), order.end(), 0u);
    std::vector<uint64_t> sorted_scratch(n);
    for (int shift = 0; shift < 64; shift += 8) {
        std::size_t count[257] = {};
        for (const uint64_t k : sorted) ++count[((k >> shift) & 0xFF) + 1];
        if (std::find(count + 1, count + 257, n) != count + 257) continue;  // one digit: nothing moves
        for (int d = 0; d < 256; ++d) count[d + 1] += count[d];
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t to = count[(sorted[i] >> shift) & 0xFF]++;
            sorted_scratch[to] = sorted[i];
            scratch[to] = order[i];
        }
        sorted.swap(sorted_scratch);
        order.swap(scratch);
    }
    return order;
}

}  // namespace

PersonIdCodes person_id_codes(const std::vector<TextChunk>& chunks) {
    const std::size_t n = total_rows(chunks);
    check_row_count(n);
    for (const TextChunk& chunk : chunks) check_offsets(chunk);
    PersonIdCodes out;
    // 1. The bytes canonical ids use, and the longest one, without writing anything.
    bool used[256] = {};
    std::size_t longest = 0;
    for (const TextChunk& chunk : chunks) {
        for (std::size_t i = 0; i < chunk.n; ++i) {
            std::size_t length = 0;
            for (const char ch : trimmed(chunk.value(i))) {
                const auto c = static_cast<unsigned char>(ch);
                if (c >= 0x80) {
                    out.ascii = false;
                    return out;
                }
                if (is_separator(c)) continue;
                used[lower(c)] = true;
                ++length;
            }
            longest = std::max(longest, length);
        }
    }
    // 2. A sort key per row. Ids usually use few distinct bytes (digits and a few
    //    letters): each byte written as its rank among them in a few bits, the end
    //    padded with 0, they fit one word that orders exactly like the text, and
    //    equal words are equal ids. Otherwise the canonical ids are written out,
    //    the key is their first 8 bytes, and ties are broken on the text.
    uint64_t digit[256] = {};
    char letter[256] = {};  // digit -> byte (digit 0 is the padding after the id)
    unsigned alphabet = 0;
    for (int c = 0; c < 256; ++c)
        if (used[c]) {
            digit[c] = ++alphabet;
            letter[alphabet] = static_cast<char>(c);
        }
    unsigned bits = 1;
    while ((1u << bits) <= alphabet) ++bits;
    const bool exact = longest * bits <= 64;
    // Temporaries are left uninitialised (each entry is written before it is read):
    // zeroing tens of MB first would cost about as much as the pass itself.
    std::vector<uint64_t> key(n);
    const std::unique_ptr<uint8_t[]> as_spelled(new uint8_t[std::max<std::size_t>(n, 1)]);
    // A hash of each row's trimmed text, to tell an id's spellings apart.
    const std::unique_ptr<uint32_t[]> spelling(new uint32_t[std::max<std::size_t>(n, 1)]);
    std::vector<char> text;       // canonical ids, only when the keys are not exact
    std::vector<uint32_t> start;  // where each row's id begins in text
    if (!exact) {
        std::size_t bytes = 0;
        for (const TextChunk& chunk : chunks) bytes += total_bytes(chunk);
        if (bytes >= std::numeric_limits<uint32_t>::max())
            throw std::length_error("person ids hold more than 4 GiB of text");
        text.reserve(bytes);
        start.reserve(n + 1);
        start.push_back(0);
    }
    bool any_respelled = false;
    std::size_t row = 0;
    for (const TextChunk& chunk : chunks) {
        for (std::size_t i = 0; i < chunk.n; ++i, ++row) {
            bool changed = false;
            uint32_t hash = 0x811C9DC5u;  // FNV-1a
            uint64_t k = 0;
            std::size_t length = 0;
            for (const char ch : trimmed(chunk.value(i))) {
                const auto c = static_cast<unsigned char>(ch);
                hash = (hash ^ c) * 0x01000193u;
                if (is_separator(c)) {
                    changed = true;
                    continue;
                }
                const unsigned char l = lower(c);
                changed |= l != c;
                if (exact)
                    k = (k << bits) | digit[l];
                else if (length < 8)
                    k = (k << 8) | l;
                if (!exact) text.push_back(static_cast<char>(l));
                ++length;
            }
            // Pad: a shorter id sorts first. (A shift by the whole word is undefined in C++.)
            const std::size_t pad =
                exact ? bits * (longest - length) : 8 * (8 - std::min<std::size_t>(length, 8));
            k = pad < 64 ? k << pad : 0;
            if (!exact) start.push_back(static_cast<uint32_t>(text.size()));
            key[row] = k;
            as_spelled[row] = !changed;
            spelling[row] = hash;
            any_respelled |= changed;
        }
    }
    const auto id_of = [&](uint32_t r) {
        return std::string_view(text.data() + start[r], start[r + 1] - start[r]);
    };
    std::vector<uint32_t> order = radix_order(key);  // sorts key too
    if (!exact) {
        for (std::size_t a = 0; a < n;) {
            std::size_t b = a + 1;
            while (b < n && key[b] == key[a]) ++b;
            if (b - a > 1)
                std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(a),
                                 order.begin() + static_cast<std::ptrdiff_t>(b),
                                 [&](uint32_t x, uint32_t y) { return id_of(x) < id_of(y); });
            a = b;
        }
    }
    // 3. One walk in that order numbers the distinct ids (their ranks), writes each
    //    once, and finds ids spelled more than one way.
    out.keys.resize(n);
    out.merged.assign(n, 0);
    out.offsets.push_back(0);
    const uint64_t mask = bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
    int64_t rank = -1;
    for (std::size_t a = 0; a < n;) {
        std::size_t b = a + 1;
        if (exact) {
            while (b < n && key[b] == key[a]) ++b;
            // The key spells the id: its digits, most significant first, up to the padding.
            for (std::size_t d = 0; d < longest; ++d) {
                const uint64_t value = (key[a] >> (bits * (longest - 1 - d))) & mask;
                if (value == 0) break;
                out.text.push_back(static_cast<uint8_t>(letter[value]));
            }
        } else {
            const std::string_view id = id_of(order[a]);
            while (b < n && key[b] == key[a] && id_of(order[b]) == id) ++b;
            out.text.insert(out.text.end(), id.begin(), id.end());
        }
        ++rank;
        out.offsets.push_back(static_cast<int64_t>(out.text.size()));
        bool respelled = false;
        for (std::size_t k = a; k < b; ++k) {
            out.keys[order[k]] = rank;
            if (any_respelled) respelled |= !as_spelled[order[k]];
        }
        if (respelled) {
            // Rows of one id are in row order (the sorts are stable), order[a] first.
            // Spellings are told apart by their hashes: different hashes are certainly
            // different texts; a collision (odds 2^-32 a pair) could only leave a merge
            // of spellings uncounted, never change a key.
            const uint32_t first = spelling[order[a]];
            bool several = false;
            for (std::size_t k = a + 1; k < b && !several; ++k) several = spelling[order[k]] != first;
            if (several)
                for (std::size_t k = a; k < b; ++k) out.merged[order[k]] = !as_spelled[order[k]];
        }
        a = b;
    }
    return out;
}

namespace {

int32_t iso_day(std::string_view s) {
    if (s.empty()) return kBlankDay;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return kNotIsoDay;
    int32_t digits[8];
    static constexpr int kAt[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    for (int i = 0; i < 8; ++i) {
        const char c = s[static_cast<std::size_t>(kAt[i])];
        if (c < '0' || c > '9') return kNotIsoDay;
        digits[i] = c - '0';
    }
    const int32_t year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3];
    const int32_t month = digits[4] * 10 + digits[5];
    const int32_t day = digits[6] * 10 + digits[7];
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(month_index(year, month)))
        return kNotIsoDay;
    return days_from_civil(year, month, day);
}

}  // namespace

std::vector<int32_t> iso_days(const std::vector<TextChunk>& chunks) {
    for (const TextChunk& chunk : chunks) check_offsets(chunk);
    std::vector<int32_t> out(total_rows(chunks));
    std::size_t row = 0;
    for (const TextChunk& chunk : chunks)
        for (std::size_t i = 0; i < chunk.n; ++i) out[row++] = iso_day(chunk.value(i));
    return out;
}

}  // namespace vipreport
