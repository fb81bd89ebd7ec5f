package io.daemonguard.posture;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** CRI-O: its process, the config files read, and the API socket they name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CrioFacts(DaemonProcess process, List<Setting> settings, List<FileFact> sockets, List<Unknown> unknown) {}
