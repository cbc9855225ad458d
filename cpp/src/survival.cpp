#include "vipreport/survival.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace vipreport {

namespace {

constexpr int32_t kMaxDuration = 10'000'000;  // days; far beyond any follow-up

// Per-duration counts by counting sort: durations are small whole numbers of days.
SurvivalCurve tabulate(const int32_t* duration, const uint8_t* cause, std::size_t n) {
    int32_t longest = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (duration[i] < 0 || duration[i] > kMaxDuration)
            throw std::invalid_argument("duration at row " + std::to_string(i) + " is " +
                                        std::to_string(duration[i]) + ", outside 0.." +
                                        std::to_string(kMaxDuration));
        if (cause[i] > 2)
            throw std::invalid_argument("cause at row " + std::to_string(i) + " must be 0, 1 or 2");
        longest = std::max(longest, duration[i]);
    }
    const auto slots = static_cast<std::size_t>(longest) + 1;
    std::vector<int64_t> counts(n ? slots * 3 : 0, 0);  // [censored, event, competing] per day
    for (std::size_t i = 0; i < n; ++i) counts[static_cast<std::size_t>(duration[i]) * 3 + cause[i]] += 1;

    SurvivalCurve curve;
    int64_t at_risk = static_cast<int64_t>(n);
    for (std::size_t t = 0; n && t < slots; ++t) {
        const int64_t censored = counts[t * 3], events = counts[t * 3 + 1], competing = counts[t * 3 + 2];
        if (censored + events + competing == 0) continue;
        curve.time.push_back(static_cast<int32_t>(t));
        curve.at_risk.push_back(at_risk);
        curve.events.push_back(events);
        curve.competing.push_back(competing);
        curve.censored.push_back(censored);
        at_risk -= censored + events + competing;
    }
    return curve;
}

double greenwood_term(int64_t at_risk, int64_t deaths) {
    return at_risk > deaths ? static_cast<double>(deaths) /
                                  (static_cast<double>(at_risk) * static_cast<double>(at_risk - deaths))
                            : 0.0;
}

}  // namespace

SurvivalCurve kaplan_meier(const int32_t* duration, const uint8_t* event, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (event[i] > 1)
            throw std::invalid_argument("event at row " + std::to_string(i) + " must be 0 or 1");
    SurvivalCurve curve = tabulate(duration, event, n);
    double survival = 1.0, greenwood = 0.0;
    for (std::size_t k = 0; k < curve.time.size(); ++k) {
        const int64_t n_k = curve.at_risk[k], d_k = curve.events[k];
        survival *= 1.0 - static_cast<double>(d_k) / static_cast<double>(n_k);
        greenwood += greenwood_term(n_k, d_k);
        curve.survival.push_back(survival);
        curve.greenwood.push_back(greenwood);
    }
    return curve;
}

SurvivalCurve aalen_johansen(const int32_t* duration, const uint8_t* cause, std::size_t n) {
    SurvivalCurve curve = tabulate(duration, cause, n);
    double survival = 1.0, greenwood = 0.0, incidence = 0.0;
    for (std::size_t k = 0; k < curve.time.size(); ++k) {
        const int64_t n_k = curve.at_risk[k];
        const int64_t all = curve.events[k] + curve.competing[k];
        // S(t-) is the survival before this time's events.
        incidence += survival * static_cast<double>(curve.events[k]) / static_cast<double>(n_k);
        survival *= 1.0 - static_cast<double>(all) / static_cast<double>(n_k);
        greenwood += greenwood_term(n_k, all);
        curve.survival.push_back(survival);
        curve.greenwood.push_back(greenwood);
        curve.incidence.push_back(incidence);
    }
    return curve;
}

}  // namespace vipreport
