package dev.fleetbackup.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Markdown to HTML as GitHub reads it: CommonMark with GFM's tables and autolinks (commonmark-java),
 * no URL sanitising, so that a link the page should not make shows. GitHub's alerts are a
 * blockquote whose first line is {@code [!TYPE]} alone; {@link #alert} reads that.
 */
final class GithubMarkdown {
  private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(), AutolinkExtension.create());
  private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
  private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS).build();
  private static final Pattern ALERT = Pattern.compile("\\A<h1>[^<]*</h1>\\n<blockquote>\\n<p>\\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\\]\\n");
  private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");

  private GithubMarkdown() {}

  static String html(String markdown) {
    return RENDERER.render(PARSER.parse(markdown));
  }

  /** The alert type of the block right under the title, as GitHub would show it; empty when there is none. */
  static String alert(String html) {
    Matcher m = ALERT.matcher(html);
    return m.find() ? m.group(1) : "";
  }

  static List<String> hrefs(String html) {
    return HREF.matcher(html).results().map(m -> m.group(1)).toList();
  }
}
