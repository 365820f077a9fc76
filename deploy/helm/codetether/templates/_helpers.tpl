{{/* Names and labels shared by every object of the chart. */}}
{{- define "codetether.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "codetether.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component (host, relay, postgres, redis). */}}
{{- define "codetether.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "codetether.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{- define "codetether.authSecret" -}}
{{- default (printf "%s-auth" (include "codetether.fullname" .)) .Values.auth.existingSecret -}}
{{- end -}}

{{- define "codetether.storeSecret" -}}
{{- default (printf "%s-store" (include "codetether.fullname" .)) .Values.store.postgres.existingSecret -}}
{{- end -}}

{{- define "codetether.oidcSecret" -}}
{{- default (printf "%s-oidc" (include "codetether.fullname" .)) .Values.oidc.existingSecret -}}
{{- end -}}

{{- define "codetether.redisUrl" -}}
{{- if .Values.redis.bundled -}}
{{- printf "redis://%s-redis:6379" (include "codetether.fullname" .) -}}
{{- else -}}
{{- .Values.redis.url -}}
{{- end -}}
{{- end -}}

{{- define "codetether.publicUrl" -}}
{{- if .Values.host.publicUrl -}}
{{- .Values.host.publicUrl -}}
{{- else if .Values.ingress.enabled -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host -}}
{{- end -}}
{{- end -}}

{{/* The host's config.json: host.config, plus the oidc section when sign-in is on. */}}
{{- define "codetether.config" -}}
{{- $config := deepCopy .Values.host.config -}}
{{- if .Values.oidc.enabled -}}
{{- $_ := set $config "oidc" (dict "issuer" (required "oidc.issuer is required" .Values.oidc.issuer) "clientId" (required "oidc.clientId is required" .Values.oidc.clientId) "scopesToRoles" .Values.oidc.scopesToRoles) -}}
{{- end -}}
{{- toJson $config -}}
{{- end -}}
