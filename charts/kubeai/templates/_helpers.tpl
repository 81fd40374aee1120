{{/* The chart's name. */}}
{{- define "kubeai.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every object's name: the release name, followed by the chart name unless the
release name already contains it. Kept at 40 characters so that "-controller-metrics" and the
like still fit in 63.
*/}}
{{- define "kubeai.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "kubeai.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "kubeai.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kubeai
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one component: (dict "ctx" $ "component" "controller"). */}}
{{- define "kubeai.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kubeai.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Labels of one component's objects: (dict "ctx" $ "component" "controller"). */}}
{{- define "kubeai.componentLabels" -}}
{{ include "kubeai.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Names of the components' objects. */}}
{{- define "kubeai.scheduler.name" -}}{{ include "kubeai.fullname" . }}-scheduler{{- end }}
{{- define "kubeai.controller.name" -}}{{ include "kubeai.fullname" . }}-controller{{- end }}
{{- define "kubeai.webhook.name" -}}{{ include "kubeai.fullname" . }}-webhook{{- end }}
{{- define "kubeai.extender.serviceName" -}}{{ include "kubeai.fullname" . }}-extender{{- end }}
{{- define "kubeai.policy.name" -}}{{ include "kubeai.fullname" . }}-policy{{- end }}

{{/* The Secret holding the webhook's serving certificate. */}}
{{- define "kubeai.webhook.tlsSecretName" -}}
{{- if eq .Values.webhook.tls.mode "secret" }}
{{- required "webhook.tls.secretName is required with webhook.tls.mode=secret" .Values.webhook.tls.secretName }}
{{- else }}
{{- include "kubeai.webhook.name" . }}-tls
{{- end }}
{{- end }}

{{/* The DNS names the webhook's certificate must carry: its Service's. */}}
{{- define "kubeai.webhook.dnsNames" -}}
{{- $svc := include "kubeai.webhook.name" . -}}
{{- list $svc (printf "%s.%s" $svc .Release.Namespace) (printf "%s.%s.svc" $svc .Release.Namespace) | toJson }}
{{- end }}

{{/* The kubeai image. */}}
{{- define "kubeai.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The extender's URL, as kube-scheduler calls it. */}}
{{- define "kubeai.extender.url" -}}
{{- printf "http://%s.%s.svc:%d/scheduler" (include "kubeai.extender.serviceName" .) .Release.Namespace (int .Values.controller.extenderPort) }}
{{- end }}

{{/*
Scheduling constraints of one component's pods:
(dict "ctx" $ "component" "controller" "values" .Values.controller).
An empty affinity with more than one replica becomes a preferred anti-affinity on hostname.
*/}}
{{- define "kubeai.scheduling" -}}
{{- $v := .values -}}
{{- with $v.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if $v.affinity }}
affinity:
  {{- toYaml $v.affinity | nindent 2 }}
{{- else if gt (int $v.replicas) 1 }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "kubeai.selectorLabels" (dict "ctx" .ctx "component" .component) | nindent 14 }}
{{- end }}
{{- with $v.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* A PodDisruptionBudget's budget: (the component's podDisruptionBudget values). */}}
{{- define "kubeai.pdbBudget" -}}
{{- if ne (toString .minAvailable) "" }}
minAvailable: {{ .minAvailable }}
{{- else }}
maxUnavailable: {{ .maxUnavailable }}
{{- end }}
{{- end }}

{{/* Fails rendering on combinations of values that cannot work. */}}
{{- define "kubeai.validate" -}}
{{- if and (not .Values.metrics.enabled) (or .Values.metrics.serviceMonitor.enabled .Values.metrics.prometheusRule.enabled .Values.metrics.grafanaDashboard.enabled) }}
{{- fail "metrics.serviceMonitor, metrics.prometheusRule and metrics.grafanaDashboard need metrics.enabled=true" }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled .Values.metrics.serviceMonitor.scrapeScheduler (not .Values.scheduler.authenticationReader) }}
{{- fail "metrics.serviceMonitor.scrapeScheduler needs scheduler.authenticationReader=true: kube-scheduler cannot authenticate Prometheus without it" }}
{{- end }}
{{- if and (eq .Values.webhook.tls.mode "secret") .Values.webhook.enabled (not .Values.webhook.tls.caBundle) }}
{{- fail "webhook.tls.caBundle is required with webhook.tls.mode=secret" }}
{{- end }}
{{- if eq (int .Values.controller.extenderPort) (int .Values.controller.metricsPort) }}
{{- fail "controller.extenderPort and controller.metricsPort must differ" }}
{{- end }}
{{- end }}
