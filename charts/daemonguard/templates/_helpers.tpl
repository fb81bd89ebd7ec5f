{{/*
Chart name, truncated to 63 characters (DNS label).
*/}}
{{- define "daemonguard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: <release>-<chart>, or the release name when it already contains the
chart name. Truncated to 52 characters so that suffixes such as "-root-ca"
still fit in 63.
*/}}
{{- define "daemonguard.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "daemonguard.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every resource, for one component: (list $ "webhook"),
(list $ "operator"), (list $ "policy"), (list $ "reports") (the report CRDs)
or (list $ "dashboard"). The component label keeps the
webhook's and the operator's Services, PodDisruptionBudgets and
anti-affinity from selecting each other's pods.
*/}}
{{- define "daemonguard.componentLabels" -}}
{{- $ := index . 0 -}}
helm.sh/chart: {{ include "daemonguard.chart" $ }}
{{ include "daemonguard.componentSelectorLabels" . }}
app.kubernetes.io/version: {{ $.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $.Release.Service }}
app.kubernetes.io/part-of: daemonguard
{{- with $.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels of one component's pods: (list $ "webhook") or (list $ "operator").
*/}}
{{- define "daemonguard.componentSelectorLabels" -}}
{{- $ := index . 0 -}}
app.kubernetes.io/name: {{ include "daemonguard.name" $ }}
app.kubernetes.io/instance: {{ $.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/*
Labels of the webhook's objects (and of the certificates both components
mount, which the webhook's configuration needs first).
*/}}
{{- define "daemonguard.labels" -}}
{{ include "daemonguard.componentLabels" (list . "webhook") }}
{{- end }}

{{/*
Selector labels of the webhook pods.
*/}}
{{- define "daemonguard.selectorLabels" -}}
{{ include "daemonguard.componentSelectorLabels" (list . "webhook") }}
{{- end }}

{{- define "daemonguard.operator.labels" -}}
{{ include "daemonguard.componentLabels" (list . "operator") }}
{{- end }}

{{- define "daemonguard.operator.selectorLabels" -}}
{{ include "daemonguard.componentSelectorLabels" (list . "operator") }}
{{- end }}

{{- define "daemonguard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "daemonguard.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "daemonguard.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (toString (default .Chart.AppVersion .Values.image.tag)) }}
{{- end }}
{{- end }}

{{/*
Name of the Secret (type kubernetes.io/tls) that the webhook pods mount.
*/}}
{{- define "daemonguard.tlsSecretName" -}}
{{- if and .Values.tls.existingSecret (not .Values.certManager.enabled) }}
{{- .Values.tls.existingSecret }}
{{- else }}
{{- printf "%s-tls" (include "daemonguard.fullname" .) }}
{{- end }}
{{- end }}

{{/*
DNS names of the webhook Service.
*/}}
{{- define "daemonguard.dnsNames" -}}
{{- $svc := include "daemonguard.fullname" . }}
{{- $ns := .Release.Namespace }}
{{- list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) | toJson }}
{{- end }}

{{/*
DNS names the serving certificate carries: the webhook Service's, then the
operator's metrics Service's (both serve the same certificate). The operator's
are there even with operator.enabled=false, so that switching the operator on
or off does not replace the certificate.
*/}}
{{- define "daemonguard.servingDnsNames" -}}
{{- $svc := include "daemonguard.operator.fullname" . }}
{{- $ns := .Release.Namespace }}
{{- concat (include "daemonguard.dnsNames" . | fromJsonArray) (list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns)) | toJson }}
{{- end }}

{{/*
Name of the operator's Deployment, ServiceAccount, ClusterRole, Service and
PodDisruptionBudget (fullname is at most 52 characters, so this fits in 63).
*/}}
{{- define "daemonguard.operator.fullname" -}}
{{- printf "%s-operator" (include "daemonguard.fullname" .) }}
{{- end }}

{{/*
Name of the operator's leader-election Lease, in the release namespace.
*/}}
{{- define "daemonguard.operator.leaseName" -}}
{{- default (include "daemonguard.operator.fullname" .) .Values.operator.leaseName }}
{{- end }}

{{/*
The namespace the operator writes Events about cluster-scoped objects to
(DaemonSecurityPolicies, and the PersistentVolumes the audit finds): "default",
as client-go does. Events about namespaced objects go to their own namespace.
*/}}
{{- define "daemonguard.operator.eventsNamespace" -}}
default
{{- end }}

{{/*
"true" when the operator runs the background audit: the audit's RBAC, args
and report permissions depend on it.
*/}}
{{- define "daemonguard.operator.audit" -}}
{{- if and .Values.operator.enabled .Values.operator.audit.enabled }}true{{ end }}
{{- end }}

{{/*
The report CRDs of each reports.format, as files under files/crds/ (copied
verbatim from upstream; files/crds/SOURCES.md), namespaced kind first.
*/}}
{{- define "daemonguard.reportCrdFiles" -}}
{{- $files := dict
  "wgpolicyk8s" (list "files/crds/wgpolicyk8s.io_policyreports.yaml" "files/crds/wgpolicyk8s.io_clusterpolicyreports.yaml")
  "openreports" (list "files/crds/openreports.io_reports.yaml" "files/crds/openreports.io_clusterreports.yaml")
  "none" (list) }}
{{- get $files .Values.reports.format | toJson }}
{{- end }}

{{/*
Who else owns the CRD named (dict "root" $ "name" <name>), if anyone: empty
when it does not exist (or `lookup` cannot see the cluster, as in `helm
template`) or when this release installed it, which Helm records in the
annotations meta.helm.sh/release-name and meta.helm.sh/release-namespace;
otherwise a few words naming the owner, for NOTES.txt.
*/}}
{{- define "daemonguard.crdOwner" -}}
{{- $live := lookup "apiextensions.k8s.io/v1" "CustomResourceDefinition" "" .name | default dict }}
{{- if $live }}
{{- $release := dig "metadata" "annotations" "meta.helm.sh/release-name" "" $live }}
{{- $releaseNamespace := dig "metadata" "annotations" "meta.helm.sh/release-namespace" "" $live }}
{{- if not $release }}
{{- print "installed without Helm" }}
{{- else if not (and (eq $release .root.Release.Name) (eq $releaseNamespace .root.Release.Namespace)) }}
{{- printf "Helm release %s in namespace %s" $release $releaseNamespace }}
{{- end }}
{{- end }}
{{- end }}

{{/*
One report CRD, (dict "root" $ "file" <path under files/crds/>), unless it
already exists and belongs to something else (daemonguard.crdOwner). A CRD
this release installed is rendered again, so that Helm keeps it. Any other
existing one (Kyverno's, Policy Reporter's, another release's, or one applied
by hand) is skipped: rendering it would stop the install with Helm's "exists
and cannot be imported into the current release", and the existing one
serves the same API. The upstream text is parsed and written back with the
chart's labels added; nothing else changes.
*/}}
{{- define "daemonguard.reportCrd" -}}
{{- $root := .root }}
{{- $crd := $root.Files.Get .file | fromYaml }}
{{- if not (dig "metadata" "name" "" $crd) }}
{{- fail (printf "%s is not a CustomResourceDefinition" .file) }}
{{- end }}
{{- if not (include "daemonguard.crdOwner" (dict "root" $root "name" $crd.metadata.name)) }}
{{- $labels := include "daemonguard.componentLabels" (list $root "reports") | fromYaml }}
{{- $_ := set $crd.metadata "labels" (merge $labels (dig "metadata" "labels" dict $crd)) }}
---
{{ toYaml $crd }}
{{- end }}
{{- end }}

{{/*
Namespaces the webhook configuration excludes by name and that the webhook
itself is told to exempt.
*/}}
{{- define "daemonguard.exemptNamespaces" -}}
{{- concat (list .Release.Namespace "kube-system") .Values.webhook.exemptNamespaces | uniq | toJson }}
{{- end }}

{{/*
"true" when the cluster is older than 1.21: namespaces then have no
kubernetes.io/metadata.name label, and the webhook skips a namespace by the
label daemonguard.io/exempt=true, which the namespace guard protects.
*/}}
{{- define "daemonguard.labelExemption" -}}
{{- semverCompare "<1.21-0" .Capabilities.KubeVersion.Version -}}
{{- end }}

{{/*
Fail early on contradictory values.
*/}}
{{- define "daemonguard.validateValues" -}}
{{- if and .Values.certManager.enabled .Values.tls.existingSecret }}
{{- fail "tls.existingSecret and certManager.enabled are mutually exclusive: choose one source for the webhook's certificate" }}
{{- end }}
{{- if and .Values.tls.existingSecret (not .Values.tls.caBundle) }}
{{- fail "tls.existingSecret needs tls.caBundle: the PEM of the CA that signed it, for the webhook configuration's caBundle" }}
{{- end }}
{{- if and .Values.certManager.enabled .Values.certManager.issuerRef (not .Values.certManager.issuerRef.name) }}
{{- fail "certManager.issuerRef needs a name" }}
{{- end }}
{{- end }}

{{/*
Before Kubernetes 1.21 namespaces carry no kubernetes.io/metadata.name label,
so the webhook configuration can exclude the release namespace only through
the label daemonguard.io/exempt=true. Without it, and with failurePolicy Fail,
the webhook's own pods could not be created while no webhook pod runs. When
the namespace can be read (a real install or upgrade), refuse to go on
without the label.
*/}}
{{- define "daemonguard.checkNamespace" -}}
{{- if and (semverCompare "<1.21-0" .Capabilities.KubeVersion.Version) (eq .Values.webhook.failurePolicy "Fail") }}
{{- $nsObj := lookup "v1" "Namespace" "" .Release.Namespace }}
{{- if and $nsObj (ne (dig "metadata" "labels" "daemonguard.io/exempt" "" $nsObj) "true") }}
{{- fail (printf "Kubernetes %s has no kubernetes.io/metadata.name label, so namespace %q must be excluded from the webhook by a label, or the webhook would block its own pods. Run: kubectl label namespace %s daemonguard.io/exempt=true (and the same for kube-system), then retry." .Capabilities.KubeVersion.Version .Release.Namespace .Release.Namespace) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Pieces the webhook's and the operator's pods share: one image, one jar, the
same restricted security context, TLS files and probes. Each takes
(dict "root" $ "c" <the component's values> "component" "webhook"|"operator").
*/}}

{{/*
Pod spec fields between automountServiceAccountToken and the containers.
*/}}
{{- define "daemonguard.pod.common" -}}
{{- $c := .c -}}
enableServiceLinks: false
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
terminationGracePeriodSeconds: {{ $c.terminationGracePeriodSeconds }}
{{- with $c.podSecurityContext }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
The container's image and, with jvmOptions, the command that replaces the
image's ENTRYPOINT.
*/}}
{{- define "daemonguard.container.image" -}}
image: {{ include "daemonguard.image" .root | quote }}
imagePullPolicy: {{ .root.Values.image.pullPolicy }}
{{- with .c.jvmOptions }}
command:
  - java
  {{- range . }}
  - {{ . | quote }}
  {{- end }}
  - -jar
  - /app/daemonguard.jar
{{- end }}
{{- end }}

{{/*
The HTTPS port, the probes, resources and securityContext of the container.
*/}}
{{- define "daemonguard.container.common" -}}
{{- $c := .c -}}
ports:
  - name: https
    containerPort: 8443
    protocol: TCP
startupProbe:
  httpGet:
    path: /healthz
    port: https
    scheme: HTTPS
  {{- toYaml $c.probes.startup | nindent 2 }}
livenessProbe:
  httpGet:
    path: /healthz
    port: https
    scheme: HTTPS
  {{- toYaml $c.probes.liveness | nindent 2 }}
readinessProbe:
  httpGet:
    path: /readyz
    port: https
    scheme: HTTPS
  {{- toYaml $c.probes.readiness | nindent 2 }}
{{- with $c.resources }}
resources:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.securityContext }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
The container's volumeMounts: the TLS Secret and /tmp.
*/}}
{{- define "daemonguard.container.volumeMounts" -}}
volumeMounts:
  # A whole-directory mount (no subPath) so that a renewed Secret
  # reaches the pod; the process reloads the files by itself.
  - name: tls
    mountPath: /etc/daemonguard/tls
    readOnly: true
  - name: tmp
    mountPath: /tmp
{{- if and (eq .component "operator") (include "daemonguard.operator.nodeScan" .root) }}
  # the scan pod template (--scan-pod-template)
  - name: scan-pod-template
    mountPath: /etc/daemonguard/scan
    readOnly: true
{{- end }}
{{- end }}

{{/*
The pod's volumes, its scheduling constraints and, unless replaced by the
component's affinity, a preferred podAntiAffinity that spreads the
component's replicas across nodes.
*/}}
{{- define "daemonguard.pod.volumesAndScheduling" -}}
{{- $c := .c -}}
volumes:
  - name: tls
    secret:
      secretName: {{ include "daemonguard.tlsSecretName" .root }}
      {{- if $c.podSecurityContext.fsGroup }}
      # Readable by the pod's fsGroup only.
      defaultMode: 0440
      {{- else }}
      defaultMode: 0444
      {{- end }}
  - name: tmp
    {{- if $c.tmpSizeLimit }}
    emptyDir:
      sizeLimit: {{ $c.tmpSizeLimit }}
    {{- else }}
    emptyDir: {}
    {{- end }}
{{- if and (eq .component "operator") (include "daemonguard.operator.nodeScan" .root) }}
  - name: scan-pod-template
    configMap:
      name: {{ include "daemonguard.operator.fullname" .root }}-scan
{{- end }}
{{- with $c.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
affinity:
  {{- if $c.affinity }}
  {{- toYaml $c.affinity | nindent 2 }}
  {{- else }}
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "daemonguard.componentSelectorLabels" (list .root .component) | nindent 14 }}
  {{- end }}
{{- end }}

{{/*
"true" when the operator scans nodes: the scan pod template, its
ServiceAccount, the operator's node RBAC and its --scan-* flags depend on it.
*/}}
{{- define "daemonguard.operator.nodeScan" -}}
{{- if and .Values.operator.enabled .Values.operator.nodeScan.enabled }}true{{ end }}
{{- end }}

{{/*
Name of the scan pods' ServiceAccount (fullname is at most 52 characters).
*/}}
{{- define "daemonguard.scan.serviceAccountName" -}}
{{- printf "%s-scan" (include "daemonguard.operator.fullname" .) }}
{{- end }}

{{/*
Every host path the scan pod mounts, as a JSON list of {path, type}:
hostPaths, the kubelet's config, extraHostPaths. A path given twice, or one
that is not absolute and normalised, fails the render: each becomes one
mount at /host<path>.
*/}}
{{- define "daemonguard.scan.hostPaths" -}}
{{- $ns := .Values.operator.nodeScan }}
{{- $all := list }}
{{- range $ns.hostPaths }}{{ $all = append $all (dict "path" .path "type" (default "" .type)) }}{{ end }}
{{- with $ns.kubeletConfig.path }}{{ $all = append $all (dict "path" . "type" (default "" $ns.kubeletConfig.type)) }}{{ end }}
{{- range $ns.extraHostPaths }}{{ $all = append $all (dict "path" .path "type" (default "" .type)) }}{{ end }}
{{- $seen := dict }}
{{- range $all }}
{{- if or (not (hasPrefix "/" .path)) (ne (clean .path) .path) (eq .path "/") }}
{{- fail (printf "operator.nodeScan: host path %q must be absolute, normalised and not /" .path) }}
{{- end }}
{{- if hasKey $seen .path }}
{{- fail (printf "operator.nodeScan: host path %q is listed twice (hostPaths, kubeletConfig, extraHostPaths)" .path) }}
{{- end }}
{{- $_ := set $seen .path true }}
{{- end }}
{{- $all | toJson }}
{{- end }}

{{/*
The scan pod template the operator reads (--scan-pod-template): labels,
annotations and spec. The operator adds, per node, the nodeAffinity on
metadata.name, NODE_NAME, its own labels and the daemonguard.io/node
annotation, and wraps it in a Job (backoffLimit 0, activeDeadlineSeconds from
--scan-deadline) in the release namespace.
*/}}
{{- define "daemonguard.scan.podTemplate" -}}
{{- $ns := .Values.operator.nodeScan -}}
metadata:
  labels:
    {{- include "daemonguard.componentSelectorLabels" (list . "node-scan") | nindent 4 }}
    app.kubernetes.io/part-of: daemonguard
  {{- with $ns.podAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  serviceAccountName: {{ include "daemonguard.scan.serviceAccountName" . }}
  # No API credential at all: the account has no token and no binding, and
  # the pod mounts none. The operator reads the result from the pod's log.
  automountServiceAccountToken: false
  enableServiceLinks: false
  # The host's processes and sockets are read through /host/proc, not by
  # joining the host's namespaces.
  hostNetwork: false
  hostPID: false
  hostIPC: false
  restartPolicy: Never
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $ns.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  {{- with $ns.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    # uid 0 without capabilities: enough to read root's 0600 files (a
    # daemon.json) as their owner, and with SYS_PTRACE root daemons' /proc
    # entries; not enough to override any file's permissions.
    runAsUser: 0
    runAsGroup: 0
    runAsNonRoot: false
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: scan
      image: {{ include "daemonguard.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      command:
        - java
        {{- range $ns.jvmOptions }}
        - {{ . | quote }}
        {{- end }}
        - -jar
        - /app/daemonguard.jar
      args:
        - scan-node
        - --host-root=/host
        - -o
        - json
        # the operator judges the findings under the node's policy
        - --exit-zero
      {{- with $ns.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        runAsUser: 0
        runAsNonRoot: false
        privileged: false
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: ["ALL"]
          {{- if $ns.sysPtrace }}
          # root daemons' /proc/<pid>/fd (which process holds a TCP
          # listener), environ and ns/net: README, Node scans
          add: ["SYS_PTRACE"]
          {{- end }}
        seccompProfile:
          type: RuntimeDefault
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- range $i, $h := include "daemonguard.scan.hostPaths" . | fromJsonArray }}
        - name: host-{{ $i }}
          mountPath: {{ printf "/host%s" $h.path | quote }}
          readOnly: true
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: {{ $ns.tmpSizeLimit }}
    {{- range $i, $h := include "daemonguard.scan.hostPaths" . | fromJsonArray }}
    - name: host-{{ $i }}
      hostPath:
        path: {{ $h.path | quote }}
        type: {{ $h.type | quote }}
    {{- end }}
{{- end }}
