import Matching
import Testing

@Suite("WebDomain")
struct WebDomainTests {
    static let domains: [(String, String)] = [
        ("example.com", "example.com"),
        ("EXAMPLE.COM", "example.com"),
        ("www.example.com", "example.com"),
        ("www2.example.com", "example.com"),
        ("m.example.com", "example.com"),
        ("shop.eu.example.com", "example.com"),
        ("https://www.example.com/", "example.com"),
        ("http://example.com/path/page.html?q=1#top", "example.com"),
        ("https://user:secret@www.example.com:8443/x", "example.com"),
        ("example.com:8080", "example.com"),
        ("example.com.", "example.com"),
        ("  www.example.com  ", "example.com"),
        ("//cdn.example.org/lib.js", "example.org"),
        ("https://www.shop.example.co.uk/path", "example.co.uk"),
        ("example.org.uk", "example.org.uk"),
        ("www.example.ac.uk", "example.ac.uk"),
        ("portal.example.gov.uk", "example.gov.uk"),
        ("www.example.com.au", "example.com.au"),
        ("www.example.net.au", "example.net.au"),
        ("example.co.nz", "example.co.nz"),
        ("www.example.co.jp", "example.co.jp"),
        ("example.ne.jp", "example.ne.jp"),
        ("example.co.za", "example.co.za"),
        ("loja.example.com.br", "example.com.br"),
        ("example.com.mx", "example.com.mx"),
        ("example.com.cn", "example.com.cn"),
        ("example.com.sg", "example.com.sg"),
        ("example.co.in", "example.co.in"),
        ("example.co.kr", "example.co.kr"),
        ("example.com.tr", "example.com.tr"),
        ("example.gouv.fr", "example.gouv.fr"),
        ("example.co.at", "example.co.at"),
        ("www.example.de", "example.de"),
        ("www.example.uk", "example.uk"),
        ("sales@shop.example.de", "example.de"),
        ("mailto:info@example.com.au", "example.com.au"),
        ("www.Bücher.DE", "bücher.de"),
        ("xn--bcher-kva.de", "xn--bcher-kva.de"),
        ("例え。テスト", "例え.テスト"),
        ("co.uk", ""),
        ("localhost", ""),
        ("192.168.0.1", ""),
        ("http://[::1]:8080/", ""),
        ("example..com", ""),
        ("exa mple.com", ""),
        ("-example.com", ""),
        ("n/a", ""),
        ("", ""),
    ]

    @Test(arguments: domains)
    func reducesAnAddressToItsRegistrableDomain(text: String, expected: String) {
        #expect(WebDomain.registrable(text) == expected)
    }
}
