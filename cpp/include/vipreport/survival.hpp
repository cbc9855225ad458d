// Time-to-event estimates from right-censored durations (whole days):
// Kaplan-Meier with Greenwood variance, and Aalen-Johansen cumulative
// incidence when another cause (death) competes with the event of interest.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace vipreport {

struct SurvivalCurve {
    std::vector<int32_t> time;       // every distinct duration, ascending
    std::vector<int64_t> at_risk;    // durations >= time
    std::vector<int64_t> events;     // events of interest at time
    std::vector<int64_t> competing;  // events of another cause at time (Aalen-Johansen only)
    std::vector<int64_t> censored;   // censored at time
    std::vector<double> survival;    // all-cause survival just after time
    std::vector<double> greenwood;   // running sum of d / (n (n - d)); 0 for a term with n == d
    std::vector<double> incidence;   // cumulative incidence of the event of interest (Aalen-Johansen only)
};

// Ties at one time: events happen before censorings, so a person censored
// at t is still at risk at t (the usual convention, and lifelines').
// durations >= 0; events: 0 = censored, 1 = event.
SurvivalCurve kaplan_meier(const int32_t* duration, const uint8_t* event, std::size_t n);

// causes: 0 = censored, 1 = event of interest, 2 = competing event.
// incidence(t) = sum over times s <= t of S(s-) d1(s) / n(s), with S the
// all-cause Kaplan-Meier survival.
SurvivalCurve aalen_johansen(const int32_t* duration, const uint8_t* cause, std::size_t n);

}  // namespace vipreport
