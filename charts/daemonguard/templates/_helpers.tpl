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
Labels of every resource.
*/}}
{{- define "daemonguard.labels" -}}
helm.sh/chart: {{ include "daemonguard.chart" . }}
{{ include "daemonguard.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: daemonguard
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels of the webhook pods.
*/}}
{{- define "daemonguard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "daemonguard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: webhook
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
DNS names of the webhook Service; the serving certificate carries them all.
*/}}
{{- define "daemonguard.dnsNames" -}}
{{- $svc := include "daemonguard.fullname" . }}
{{- $ns := .Release.Namespace }}
{{- list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) | toJson }}
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
