package dev.fleetbackup.notify;

import dev.fleetbackup.model.SafeText;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body each destination's format takes for an event, as JSON that Jackson writes (so every
 * string is JSON-escaped). Each string is first made one line ({@link SafeText#oneLine}) and cut;
 * Slack's mrkdwn gets its three escapes ({@code & < >}), and Teams gets plain text runs, which
 * Adaptive Cards render without reading Markdown in them.
 */
final class Payloads {
  /** The longest line a message carries, in code points; the status page has the rest. */
  static final int LINE_LIMIT = 500;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Payloads() {}

  static String body(Notifications.Format format, Event event, Optional<URI> statusPage, Instant at) {
    ObjectNode body = switch (format) {
      case WEBHOOK -> webhook(event, statusPage, at);
      case SLACK -> slack(event, statusPage);
      case MSTEAMS -> teams(event, statusPage);
    };
    return JSON.writeValueAsString(body);
  }

  /** fleet-backup's own: every field plain, for a script or an Alertmanager-like receiver. */
  private static ObjectNode webhook(Event event, Optional<URI> statusPage, Instant at) {
    ObjectNode body = JSON.createObjectNode();
    body.put("source", "fleet-backup");
    body.put("type", event.type().label());
    body.put("subject", line(event.subject()));
    body.put("summary", line(event.summary()));
    ArrayNode details = body.putArray("details");
    event.details().forEach(d -> details.add(line(d)));
    event.sha().ifPresent(sha -> body.put("sha", sha));
    statusPage.ifPresent(url -> body.put("statusPage", url.toString()));
    body.put("at", at.toString());
    return body;
  }

  /** An incoming webhook's message: a fallback {@code text} and mrkdwn blocks. */
  private static ObjectNode slack(Event event, Optional<URI> statusPage) {
    ObjectNode body = JSON.createObjectNode();
    String headline = icon(event) + " " + mrkdwn(line(event.summary()));
    body.put("text", headline);
    ArrayNode blocks = body.putArray("blocks");
    StringBuilder text = new StringBuilder("*").append(headline).append('*');
    event.details().forEach(d -> text.append("\n• ").append(mrkdwn(line(d))));
    ObjectNode section = blocks.addObject().put("type", "section");
    section.putObject("text").put("type", "mrkdwn").put("text", text.toString());
    statusPage.ifPresent(url -> blocks.addObject().put("type", "context").putArray("elements").addObject()
        .put("type", "mrkdwn").put("text", "<" + mrkdwn(url.toString()) + "|status page>"));
    return body;
  }

  /** A message with one Adaptive Card, as Teams' incoming webhooks and Workflows take it. */
  private static ObjectNode teams(Event event, Optional<URI> statusPage) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "message");
    ObjectNode attachment = body.putArray("attachments").addObject();
    attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
    attachment.putNull("contentUrl");
    ObjectNode card = attachment.putObject("content");
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    card.put("type", "AdaptiveCard");
    card.put("version", "1.4");
    ArrayNode cardBody = card.putArray("body");
    plainText(cardBody, icon(event) + " " + line(event.summary()), true);
    event.details().forEach(d -> plainText(cardBody, "• " + line(d), false));
    statusPage.ifPresent(url -> card.putArray("actions").addObject()
        .put("type", "Action.OpenUrl").put("title", "Status page").put("url", url.toString()));
    return body;
  }

  /** A RichTextBlock's TextRun: text Teams shows as it is (a TextBlock would read Markdown in it). */
  private static void plainText(ArrayNode body, String text, boolean bold) {
    ObjectNode run = body.addObject().put("type", "RichTextBlock").putArray("inlines").addObject();
    run.put("type", "TextRun").put("text", text);
    if (bold) {
      run.put("weight", "Bolder");
    }
  }

  private static String icon(Event event) {
    return event.type() == Event.Type.RECOVERED ? "✅" : "❌";
  }

  static String line(String text) {
    return SafeText.truncate(SafeText.oneLine(text), LINE_LIMIT);
  }

  /** Slack's escapes for text in mrkdwn: the three characters that start its markup (links, mentions). */
  static String mrkdwn(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
