{{/*
Names are fixed: the operator looks its objects up by these names (Secret, Leases, webhook configuration), and the
chart is installed once per cluster because the webhook configuration and ClusterRoles are cluster-wide.
*/}}
{{- define "hardening-operator.name" -}}hardening-operator{{- end -}}

{{/* The ClusterRole that owns the ValidatingWebhookConfiguration: deleting it garbage-collects the webhook. */}}
{{- define "hardening-operator.clusterRoleName" -}}hardening-operator{{- end -}}

{{- define "hardening-operator.selectorLabels" -}}
app.kubernetes.io/name: hardening-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "hardening-operator.labels" -}}
{{ include "hardening-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: hardening-operator
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Secret holding tls.crt, tls.key and ca.crt of the webhook endpoint. */}}
{{- define "hardening-operator.tlsSecretName" -}}
{{- if eq .Values.certificates.mode "external" -}}
{{- required "certificates.external.secretName is required when certificates.mode is external: name the Secret (tls.crt, tls.key, ca.crt) in the release namespace" .Values.certificates.external.secretName -}}
{{- else -}}
hardening-operator-tls
{{- end -}}
{{- end -}}

{{/*
Image reference pinned by digest. A tag alone is refused: the content behind a tag can change after review, and the
operator's own Hardened profile (rule image-digest) rejects it. image.allowTag: true opts out for development.
*/}}
{{- define "hardening-operator.image" -}}
{{- $img := .Values.image -}}
{{- if $img.digest -}}
{{- if $img.tag -}}
{{ $img.repository }}:{{ $img.tag }}@{{ $img.digest }}
{{- else -}}
{{ $img.repository }}@{{ $img.digest }}
{{- end -}}
{{- else if and $img.tag $img.allowTag -}}
{{ $img.repository }}:{{ $img.tag }}
{{- else if $img.tag -}}
{{- fail (printf "image.digest is empty and image.tag is %q: a tag can be moved to other content after review, so the chart pins the operator image by digest (the image-digest rule of the Hardened profile). Set image.digest=sha256:<digest> (see docs/install.md), or set image.allowTag=true to accept a tag for development." $img.tag) -}}
{{- else -}}
{{- fail "image.digest is empty: set image.digest=sha256:<digest> of the operator image (see docs/install.md)" -}}
{{- end -}}
{{- end -}}

{{/* True (non-empty) when the default placeholder digest is still in use. */}}
{{- define "hardening-operator.placeholderDigest" -}}
{{- if eq .Values.image.digest "sha256:0000000000000000000000000000000000000000000000000000000000000000" -}}true{{- end -}}
{{- end -}}
