package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** How the machine config's hostname is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Hostname {
  private HostnameSource source;

  public HostnameSource getSource() { return source; }
  public void setSource(HostnameSource source) { this.source = source; }
}
