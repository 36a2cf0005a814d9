#include "pam_module/Offer.h"

#include <cctype>

namespace recoveryd::pam {

bool is_yes(std::string_view answer) {
    while (!answer.empty() && std::isspace(static_cast<unsigned char>(answer.front())))
        answer.remove_prefix(1);
    while (!answer.empty() && std::isspace(static_cast<unsigned char>(answer.back())))
        answer.remove_suffix(1);
    return answer.size() == 3 && std::tolower(static_cast<unsigned char>(answer[0])) == 'y' &&
           std::tolower(static_cast<unsigned char>(answer[1])) == 'e' &&
           std::tolower(static_cast<unsigned char>(answer[2])) == 's';
}

}  // namespace recoveryd::pam
