package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Exemptions {
  @JsonPropertyDescription("Names of namespaces whose workloads this policy does not judge (exact names, no patterns).")
  private List<String> namespaces;

  @JsonPropertyDescription("Service accounts, written namespace/name, whose pods this policy does not judge.")
  private List<String> serviceAccounts;

  @JsonPropertyDescription("Image references whose containers this policy does not judge; * matches any run of characters,"
      + " e.g. registry.example.com/agents/*.")
  private List<String> images;

  public List<String> getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(List<String> namespaces) {
    this.namespaces = namespaces;
  }

  public List<String> getServiceAccounts() {
    return serviceAccounts;
  }

  public void setServiceAccounts(List<String> serviceAccounts) {
    this.serviceAccounts = serviceAccounts;
  }

  public List<String> getImages() {
    return images;
  }

  public void setImages(List<String> images) {
    this.images = images;
  }
}
