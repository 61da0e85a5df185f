/// Acronyms and initialisms of company names ("IBM" for International Business Machines, "P&G" for Procter &
/// Gamble, "AT&T" for American Telephone and Telegraph); pure functions on values, safe from any thread.
public enum Acronyms {
    /// The initials of a name's words and the short forms it may itself be an acronym in.
    ///
    /// - Parameters:
    ///   - name: the folded name tokens without legal forms, connectives still in ("at", "&", "t").
    ///   - kept: the name's words as compared (connectives and single letters gone, abbreviations spelt out).
    ///   - legalForms: the canonical legal forms, whose first letter an initialism may end in ("HSBC").
    /// - Returns: `initials`: the first letters of `kept` when it has two words or more, alone and followed by the
    ///   first legal form's; `acronyms`: runs of one- and two-letter tokens around "&" or spaces joined ("p & g"
    ///   → "pg", "at & t" → "att", "i b m" → "ibm") and a number of letters ("3m" → "mmm"). A word of the name
    ///   may be an acronym too ("ibm"): the scorer reads those from the name.
    public static func forms(name: [String], kept: [String], legalForms: [String]) -> (
        initials: [String], acronyms: [String]
    ) {
        // On UTF-8 bytes: this runs for every customer normalised, and folded tokens are ASCII but for rare letters.
        var initials: [String] = []
        var letters: [UInt8] = []
        for token in kept {
            guard let first = token.utf8.first, !token.utf8.allSatisfy(isDigit) else { continue }
            letters.append(first)
        }
        if letters.count >= 2 {
            initials.append(String(decoding: letters, as: UTF8.self))
            if let form = legalForms.first?.utf8.first {
                letters.append(form)
                initials.append(String(decoding: letters, as: UTF8.self))
            }
        }
        var acronyms: [String] = []
        func add(_ form: [UInt8]) {
            guard (2...6).contains(form.count) else { return }
            let text = String(decoding: form, as: UTF8.self)
            if !acronyms.contains(text) { acronyms.append(text) }
        }
        var run: [UInt8] = []
        var runTokens = 0
        func endRun() {
            if runTokens >= 2 { add(run) }
            run.removeAll(keepingCapacity: true)
            runTokens = 0
        }
        for token in name {
            let utf8 = token.utf8
            if utf8.count == 1 && utf8.first == UInt8(ascii: "&") { continue }
            if utf8.count <= 2 && utf8.allSatisfy(isLetter) {
                run.append(contentsOf: utf8)
                runTokens += 1
            } else {
                endRun()
            }
            // "3M" is "MMM".
            if utf8.count == 2, let count = utf8.first, (UInt8(ascii: "2")...UInt8(ascii: "4")).contains(count),
                let letter = utf8.last, isLetter(letter)
            {
                add([UInt8](repeating: letter, count: Int(count - UInt8(ascii: "0"))))
            }
        }
        endRun()
        return (initials, acronyms)
    }

    private static func isLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Whether `acronym` abbreviates `words` in order, each word giving its initial and maybe more of its letters
    /// ("ppm" for "peters projectmanagement", "nds" for "nordic data systems"): for names that glue words.
    public static func abbreviates(_ acronym: [UInt8], _ words: [[UInt8]]) -> Bool {
        guard acronym.count >= 3, words.count >= 2, words.count <= acronym.count,
            words.allSatisfy({ !$0.isEmpty }), acronym[0] == words[0][0]
        else { return false }
        func match(_ letter: Int, _ word: Int, _ position: Int) -> Bool {
            if letter == acronym.count { return word == words.count - 1 }
            let current = words[word]
            var next = position + 1
            while next < current.count {
                if current[next] == acronym[letter] && match(letter + 1, word, next) { return true }
                next += 1
            }
            return word + 1 < words.count && words[word + 1][0] == acronym[letter] && match(letter + 1, word + 1, 0)
        }
        return match(1, 0, 0)
    }
}
