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
        ("xn--bcher-kva.de", "bücher.de"),
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

    /// Hosts under the rules of the Public Suffix List: ICANN suffixes of two and three labels, wildcards and their
    /// exceptions, the private section's platforms, and internationalised rules (cases partly from the list's own
    /// test file, public domain).
    static let publicSuffixCases: [(String, String)] = [
        ("www.example.co.uk", "example.co.uk"),
        ("www.example.com.au", "example.com.au"),
        ("shop.example.co.jp", "example.co.jp"),
        ("loja.example.com.br", "example.com.br"),
        ("example.org.br", "example.org.br"),
        ("www.example.com.cn", "example.com.cn"),
        ("example.com.tw", "example.com.tw"),
        ("example.ltd.uk", "example.ltd.uk"),
        ("www.example.k12.ak.us", "example.k12.ak.us"),
        ("test.ac", "test.ac"),
        ("a.b.test.ac", "test.ac"),
        ("c.com.ac", "c.com.ac"),
        ("example.kyoto.jp", "example.kyoto.jp"),
        ("b.ide.kyoto.jp", "b.ide.kyoto.jp"),
        ("a.b.ide.kyoto.jp", "b.ide.kyoto.jp"),
        ("com.ac", ""),
        ("ide.kyoto.jp", ""),
        ("com.au", ""),
        ("k12.ak.us", ""),
        // Wildcards ("*.ck", "*.kawasaki.jp") and the exceptions that take names out of them ("!www.ck").
        ("test.ck", ""),
        ("b.test.ck", "b.test.ck"),
        ("a.b.test.ck", "b.test.ck"),
        ("www.ck", "www.ck"),
        ("www.www.ck", "www.ck"),
        ("c.kawasaki.jp", ""),
        ("b.c.kawasaki.jp", "b.c.kawasaki.jp"),
        ("a.b.c.kawasaki.jp", "b.c.kawasaki.jp"),
        ("city.kawasaki.jp", "city.kawasaki.jp"),
        ("www.city.kawasaki.jp", "city.kawasaki.jp"),
        // The private section: each customer's subdomain of a platform is its own registrable domain.
        ("acme.myshopify.com", "acme.myshopify.com"),
        ("https://acme.myshopify.com/products/x", "acme.myshopify.com"),
        ("myshopify.com", ""),
        ("acme.github.io", "acme.github.io"),
        ("www.acme.blogspot.com", "acme.blogspot.com"),
        ("acme-prod.herokuapp.com", "acme-prod.herokuapp.com"),
        ("acme.wixsite.com/shop", "acme.wixsite.com"),
        ("acme.netlify.app", "acme.netlify.app"),
        ("bucket.s3.amazonaws.com", "bucket.s3.amazonaws.com"),
        // E-mail addresses and URLs with ports, paths and user information.
        ("Jane.Doe@Sales.Example.Co.UK", "example.co.uk"),
        ("mailto:jane@acme.myshopify.com", "acme.myshopify.com"),
        ("https://jane:pw@portal.example.com.br:8443/path?x=1", "example.com.br"),
        ("HTTP://WWW.EXAMPLE.CO.JP:80/", "example.co.jp"),
        // Internationalised names, Unicode input against Unicode rules and punycode against their punycode form,
        // punycode decoded in the result so both forms are one domain.
        ("www.食狮.中国", "食狮.中国"),
        ("shishi.中国", "shishi.中国"),
        ("中国", ""),
        ("www.食狮.公司.cn", "食狮.公司.cn"),
        ("公司.cn", ""),
        ("www.xn--85x722f.xn--fiqs8s", "食狮.中国"),
        ("www.xn--85x722f.xn--55qx5d.cn", "食狮.公司.cn"),
        ("https://xn--kaffeersterei-khn-5zb6j.at/shop", "kaffeerösterei-kühn.at"),
        ("x.xn--bcher-kva.de", "bücher.de"),
        ("xn--bcher-kva.co.uk", "bücher.co.uk"),
        ("xn--55qx5d.cn", ""),
        ("www.bücher.de", "bücher.de"),
        ("ÉCOLE.example.fr", "example.fr"),
    ]

    @Test(arguments: publicSuffixCases)
    func followsThePublicSuffixList(text: String, expected: String) {
        #expect(WebDomain.registrable(text) == expected)
    }

    /// Free and ISP mailboxes of many countries, site builders and profile pages.
    static let sharedDomains: [String] = [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.com.ar", "live.com",
        "live.fr", "msn.com", "yahoo.com", "yahoo.co.jp", "yahoo.com.br", "ymail.com", "aol.com", "icloud.com",
        "me.com", "mac.com", "proton.me", "protonmail.com", "pm.me", "tutanota.com", "mail.com", "zoho.com",
        // Germany, Austria, Switzerland
        "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "web.de", "t-online.de", "freenet.de", "posteo.de", "mailbox.org",
        "aon.at", "bluewin.ch", "hispeed.ch",
        // France, Benelux
        "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "neuf.fr", "telenet.be", "skynet.be", "ziggo.nl",
        "kpnmail.nl", "planet.nl", "home.nl",
        // Italy, Iberia
        "libero.it", "virgilio.it", "tiscali.it", "alice.it", "pec.it", "legalmail.it", "terra.es", "telefonica.net",
        "sapo.pt",
        // Central and eastern Europe, the Nordics
        "wp.pl", "o2.pl", "onet.pl", "interia.pl", "seznam.cz", "centrum.cz", "azet.sk", "freemail.hu", "abv.bg",
        "mail.ru", "yandex.ru", "bk.ru", "inbox.ru", "list.ru", "rambler.ru", "ukr.net", "inbox.lv", "online.no",
        "suomi24.fi", "jubii.dk",
        // United Kingdom, Ireland, the Americas, Oceania, Africa
        "btinternet.com", "sky.com", "virginmedia.com", "talktalk.net", "eircom.net", "comcast.net", "verizon.net",
        "att.net", "shaw.ca", "sympatico.ca", "terra.com.br", "uol.com.br", "bol.com.br", "prodigy.net.mx",
        "bigpond.com", "optusnet.com.au", "xtra.co.nz", "mweb.co.za",
        // Asia
        "qq.com", "163.com", "126.com", "sina.com", "naver.com", "daum.net", "hanmail.net", "docomo.ne.jp",
        "rediffmail.com", "walla.co.il",
        // Site builders and blog hosts the Public Suffix List leaves whole, and profile pages
        "wordpress.com", "weebly.com", "jimdo.com", "jimdofree.com", "squarespace.com", "godaddysites.com",
        "tumblr.com", "substack.com", "google.com", "facebook.com", "linkedin.com", "instagram.com",
    ]

    @Test(arguments: sharedDomains)
    func sharedDomainIsNoEvidence(domain: String) {
        #expect(WebDomain.isShared(domain))
    }

    /// Companies' own domains, and customers' own subdomains of platforms that the Public Suffix List separates.
    static let ownDomains: [String] = [
        "example.com", "siemens.de", "sge-equipement.fr", "mueller-maschinenbau.de", "ibm.com", "microsoft.com",
        "sap.com", "orange.com", "yahooinc.com", "gmxgroup.de", "hotmailer.de", "web.com.ar", "acme.co.uk",
        "acme.myshopify.com", "acme.github.io", "acme.blogspot.com", "acme.wixsite.com", "acme.herokuapp.com",
        "acme.square.site", "nus.edu.sg", "",
    ]

    @Test(arguments: ownDomains)
    func ownDomainIsNotShared(domain: String) {
        #expect(!WebDomain.isShared(domain))
    }

    @Test(arguments: [
        ("jane.doe@gmail.com", true), ("https://acme.wordpress.com/about", true), ("info@gmx.at", true),
        ("sales@yahoo.com.ar", true), ("https://acme.myshopify.com/", false), ("info@acme.co.uk", false),
    ])
    func registrableDomainOfAnAddressIsSharedOrNot(text: String, shared: Bool) {
        #expect(WebDomain.isShared(WebDomain.registrable(text)) == shared)
    }
}
