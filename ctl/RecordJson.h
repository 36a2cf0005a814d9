#pragma once
// --json for Admin records: an object with the bus's keys and values (times
// stay microseconds since the epoch, as on the bus).

#include <array>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ctl/AdminRecords.h"

namespace recoveryd::ctl {

template <typename Record, std::size_t N>
std::string records_to_json(const std::vector<Record>& records, const std::array<RecordField<Record>, N>& fields) {
    nlohmann::json out = nlohmann::json::array();
    for (const Record& record : records) {
        nlohmann::json object = nlohmann::json::object();
        for (const auto& field : fields) {
            const std::string key(field.key);
            if (field.number)
                object[key] = record.*field.number;
            else
                object[key] = record.*field.text;
        }
        out.push_back(std::move(object));
    }
    // Bytes that are not UTF-8 become U+FFFD instead of an exception.
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace recoveryd::ctl
