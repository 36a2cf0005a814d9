#pragma once
// Text that others typed (a request's user name, contact and reason, typed
// at a login prompt by whoever sat there), printed so that it cannot pass
// for a line of our own output (recoveryctl's, the daemon's log) or drive
// the terminal. The daemon refuses control characters already; this does
// not rely on it.

#include <string>
#include <string_view>

namespace recoveryd {

// The text with '\' and '"' escaped, C0 controls, DEL, C1 controls,
// bidirectional controls and marks and the Unicode line and paragraph
// separators as \n, \t or \u{XXXX}, and bytes that are not UTF-8 as \xNN.
std::string escape_untrusted(std::string_view text);

// escape_untrusted(text) in double quotes: free text, set apart from what is ours.
std::string quote_untrusted(std::string_view text);

}  // namespace recoveryd
