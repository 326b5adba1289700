package dev.reactivekit.showcase.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the crawler takes from a page: the parser's rules, one by one (CrawlTest runs them through a crawl). */
class HtmlPageTest {

    private static final String PAGE = "http://example.test:8080/dir/page.html?q=1";

    @Test
    void linksAreResolvedInDocumentOrderWithoutRepeatsAndTheTitleIsTaken() {
        HtmlPage page = HtmlPage.parse("<html><head><title> A   title </title></head><body>"
                + "<a href='http://other.test/x'>abs</a> <a href='/root'>root</a> <a href='rel?y=2'>rel</a>"
                + " <a href='../up'>up</a> <a href='/root'>again</a> <a href='HTTPS://Upper.test/'>case</a>"
                + " <a href='  /spaced\t'>ws</a> <a href='//proto.test/p'>proto-relative</a> <a>no href</a>"
                + " <a href=''>empty</a></body></html>", PAGE, 100);

        assertThat(page.title()).isEqualTo("A title");
        assertThat(page.links()).containsExactly("http://other.test/x", "http://example.test:8080/root",
                "http://example.test:8080/dir/rel?y=2", "http://example.test:8080/up", "HTTPS://Upper.test/",
                "http://example.test:8080/spaced", "http://proto.test/p");
        assertThat(page.linksSeen()).isEqualTo(9);
        assertThat(page.index()).isTrue();
    }

    @Test
    void nofollowLinksAreSkippedAndTheCanonicalLinkIsKept() {
        HtmlPage page = HtmlPage.parse("<html><head><link rel='Canonical' href='/canon'>"
                + "<link rel='stylesheet' href='/style.css'></head><body>"
                + "<a href='/a' rel='NoFollow'>a</a> <a href='/b' rel='noopener nofollow'>b</a> <a href='/c'>c</a>"
                + "</body></html>", PAGE, 100);

        assertThat(page.links()).containsExactly("http://example.test:8080/canon", "http://example.test:8080/c");
    }

    @Test
    void metaRobotsNofollowOrNoneKeepsNoLinksAndNoindexOrNoneMarksThePage() {
        String body = "<body><a href='/a'>a</a></body>";
        HtmlPage nofollow = HtmlPage.parse("<head><meta name='ROBOTS' content='NoFollow'></head>" + body, PAGE, 10);
        HtmlPage noindex = HtmlPage.parse("<head><meta name='robots' content='noindex'></head>" + body, PAGE, 10);
        HtmlPage none = HtmlPage.parse("<head><meta name='robots' content='none'></head>" + body, PAGE, 10);
        HtmlPage other = HtmlPage.parse("<head><meta name='description' content='nofollow noindex'></head>" + body,
                PAGE, 10);

        assertThat(nofollow.links()).isEmpty();
        assertThat(nofollow.index()).isTrue();
        assertThat(noindex.links()).containsExactly("http://example.test:8080/a");
        assertThat(noindex.index()).isFalse();
        assertThat(none.links()).isEmpty();
        assertThat(none.index()).isFalse();
        assertThat(other.links()).hasSize(1);
        assertThat(other.index()).isTrue();
    }

    @Test
    void aBaseHrefChangesWhatRelativeLinksResolveAgainst() {
        HtmlPage page = HtmlPage.parse("<head><base href='http://cdn.test/base/'></head>"
                + "<body><a href='x'>x</a> <a href='/y'>y</a></body>", PAGE, 10);

        assertThat(page.links()).containsExactly("http://cdn.test/base/x", "http://cdn.test/y");
    }

    @Test
    void atMostMaxLinksAreKeptButAllAreCounted() {
        StringBuilder html = new StringBuilder("<body>");
        for (int i = 0; i < 1_000; i++) {
            html.append("<a href='/p").append(i).append("'>").append(i).append("</a>");
        }
        HtmlPage page = HtmlPage.parse(html.toString(), PAGE, 25);

        assertThat(page.links()).hasSize(25).startsWith("http://example.test:8080/p0").endsWith(
                "http://example.test:8080/p24");
        assertThat(page.linksSeen()).isEqualTo(1_000);
    }

    @Test
    void theOriginOfAUrlEndsAtItsPathQueryOrFragment() {
        assertThat(HtmlPage.origin("http://h.test:81/a/b")).isEqualTo("http://h.test:81");
        assertThat(HtmlPage.origin("http://h.test?x=1")).isEqualTo("http://h.test");
        assertThat(HtmlPage.origin("http://h.test#top")).isEqualTo("http://h.test");
        assertThat(HtmlPage.origin("http://h.test")).isEqualTo("http://h.test");
        assertThat(HtmlPage.origin("mailto:someone")).isNull();
        assertThat(HtmlPage.resolve("http://h.test?x=1", HtmlPage.origin("http://h.test?x=1"), "/p"))
                .isEqualTo("http://h.test/p");
        assertThat(HtmlPage.resolve(PAGE, HtmlPage.origin(PAGE), "bad uri with [brackets]")).isNull();
    }
}
