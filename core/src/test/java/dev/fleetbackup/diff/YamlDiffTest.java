package dev.fleetbackup.diff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class YamlDiffTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void rendersAUnifiedDiffOfTheChangedLinesWithContext() {
    var before = JSON.readTree("{\"spec\":{\"schedule\":\"0 2 * * *\",\"template\":{\"includedNamespaces\":[\"shop\"],\"ttl\":\"168h\"}}}");
    var after = JSON.readTree("{\"spec\":{\"schedule\":\"0 3 * * *\",\"template\":{\"includedNamespaces\":[\"shop\",\"payments\"],\"ttl\":\"168h\"}}}");
    assertThat(YamlDiff.unified(before, after)).isEqualTo("""
        @@ -1,6 +1,7 @@
         spec:
        -  schedule: 0 2 * * *
        +  schedule: 0 3 * * *
           template:
             includedNamespaces:
             - shop
        +    - payments
             ttl: 168h
        """);
  }

  @Test
  void equalObjectsHaveNoDiffAndACreationIsAllAdditions() {
    var node = JSON.readTree("{\"a\":1}");
    assertThat(YamlDiff.unified(node, node)).isEmpty();
    assertThat(YamlDiff.unified(null, node)).isEqualTo("@@ -0,0 +1,1 @@\n+a: 1\n");
  }
}
