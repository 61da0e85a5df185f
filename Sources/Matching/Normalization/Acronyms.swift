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
        var initials: [String] = []
        let words = kept.filter { token in !token.allSatisfy(\.isNumber) }
        if words.count >= 2 {
            let letters = String(words.compactMap(\.first))
            initials.append(letters)
            if let form = legalForms.first?.first { initials.append(letters + String(form)) }
        }
        var acronyms: [String] = []
        func add(_ form: String) {
            if (2...6).contains(form.count), form.allSatisfy(isLetter), !acronyms.contains(form) {
                acronyms.append(form)
            }
        }
        var run = ""
        var runTokens = 0
        func endRun() {
            if runTokens >= 2 { add(run) }
            run = ""
            runTokens = 0
        }
        for token in name {
            if token == "&" { continue }
            if token.count <= 2 && token.allSatisfy(isLetter) {
                run += token
                runTokens += 1
            } else {
                endRun()
            }
            // "3M" is "MMM".
            if token.count == 2, let count = token.first?.wholeNumberValue, (2...4).contains(count),
                let letter = token.last, isLetter(letter)
            {
                add(String(repeating: letter, count: count))
            }
        }
        endRun()
        return (initials, acronyms)
    }

    private static func isLetter(_ character: Character) -> Bool {
        character.isASCII && character.isLetter
    }

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
