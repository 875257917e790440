package dev.fleetbackup.diff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MaskingTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void changedSecretValuesShowThatTheyChangedButNeverWhat() {
    JsonNode before = JSON.readTree("{\"data\":{\"cloud\":\"b2xkLXNlY3JldA==\",\"same\":\"eA==\"}}");
    JsonNode after = JSON.readTree("{\"data\":{\"cloud\":\"bmV3LXNlY3JldA==\",\"same\":\"eA==\",\"added\":\"eQ==\"}}");
    Masking.maskSecretPair(before, after);
    String diff = YamlDiff.unified(before, after);
    assertThat(diff).contains("-  cloud: '*** (before)'", "+  cloud: '*** (after)'", "+  added: '***'", "   same: '***'")
        .doesNotContain("c2VjcmV0").doesNotContain("eA==").doesNotContain("eQ==");
  }

  @Test
  void aCreatedSecretIsMaskedEntirely() {
    JsonNode after = JSON.readTree("{\"data\":{\"cloud\":\"c2VjcmV0\"},\"stringData\":{\"k\":\"plain\"}}");
    Masking.maskSecretPair(null, after);
    assertThat(YamlDiff.yaml(after)).doesNotContain("c2VjcmV0").doesNotContain("plain").contains("cloud: '***'");
  }
}
