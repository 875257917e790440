package dev.fleetbackup.diff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FieldSetTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode json(String text) {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void projectsAnObjectOnTheFieldsOfTheManifestAndLeavesOthersOut() {
    JsonNode manifest = json("{'metadata':{'name':'velero','labels':{'a':'1'}},'spec':{'replicas':1,"
        + "'template':{'spec':{'containers':[{'name':'velero','image':'v1'}]}}}}");
    JsonNode live = json("{'metadata':{'name':'velero','labels':{'a':'1','b':'theirs'},'managedFields':[{}],'uid':'u'},"
        + "'spec':{'replicas':1,'revisionHistoryLimit':10,'template':{'spec':{'containers':["
        + "{'name':'sidecar','image':'x'},{'name':'velero','image':'v0','imagePullPolicy':'IfNotPresent'}]}}},"
        + "'status':{'readyReplicas':1}}");
    JsonNode projected = FieldSet.ofManifest(manifest).project(live);
    assertThat(projected).isEqualTo(json("{'metadata':{'name':'velero','labels':{'a':'1'}},'spec':{'replicas':1,"
        + "'template':{'spec':{'containers':[{'name':'velero','image':'v0'}]}}}}"));
  }

  @Test
  void fieldsV1OfTheManagerAddFieldsItOwnsButNoLongerSets() {
    JsonNode fieldsV1 = json("{'f:metadata':{'f:labels':{'f:old':{}}},'f:spec':{'f:template':{'f:spec':{'f:containers':"
        + "{'k:{\\'name\\':\\'velero\\'}':{'.':{},'f:args':{}}}}}}}".replace("\\'", "\\\""));
    JsonNode live = json("{'metadata':{'labels':{'old':'x','other':'y'}},'spec':{'template':{'spec':{'containers':"
        + "[{'name':'velero','args':['server'],'image':'v1'}]}}}}");
    assertThat(FieldSet.ofFieldsV1(fieldsV1).project(live)).isEqualTo(json("{'metadata':{'labels':{'old':'x'}},"
        + "'spec':{'template':{'spec':{'containers':[{'name':'velero','args':['server']}]}}}}"));
  }

  @Test
  void listsWithoutNamesAreAtomic() {
    JsonNode manifest = json("{'spec':{'includedNamespaces':['shop']}}");
    JsonNode live = json("{'spec':{'includedNamespaces':['shop','payments'],'skipImmediately':false}}");
    assertThat(FieldSet.ofManifest(manifest).project(live)).isEqualTo(json("{'spec':{'includedNamespaces':['shop','payments']}}"));
  }
}
