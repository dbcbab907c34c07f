{{/*
Names, labels and the wiring between the services. One place says which service calls which
and which stores each one uses ("cm.topology"); the Deployments, their environment, the
NetworkPolicies and the Secret keys are all derived from it.
*/}}

{{- define "cm.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The services, in start order. */}}
{{- define "cm.services" -}}
[identity, conversation, notification, audit, stats, web, gateway]
{{- end -}}

{{/*
calls:   the services this one sends requests to (every one validates tokens with Identity's keys)
stores:  the kinds of server it connects to (stores.<kind> says where they are)
secrets: environment variable -> key of the Secret
*/}}
{{- define "cm.topology" -}}
identity:
  calls: [identity]
  stores: [postgres, redis, rabbitmq]
  secrets:
    ConnectionStrings__identitydb: identitydb
    ConnectionStrings__redis: redis
    ConnectionStrings__messaging: messaging
    Identity__SigningKey: identity-signing-key
    Identity__EncryptionKey: identity-encryption-key
    Identity__Clients__gateway__Secret: gateway-client-secret
    Identity__Clients__notification__Secret: notification-client-secret
    Identity__Clients__stats__Secret: stats-client-secret
conversation:
  calls: [identity]
  stores: [postgres, rabbitmq]
  secrets:
    ConnectionStrings__conversationdb: conversationdb
    ConnectionStrings__messaging: messaging
notification:
  calls: [identity, conversation]
  stores: [redis, rabbitmq]
  secrets:
    ConnectionStrings__redis: redis
    ConnectionStrings__messaging: messaging
    ServiceClient__ClientSecret: notification-client-secret
audit:
  calls: [identity]
  stores: [postgres, rabbitmq]
  secrets:
    ConnectionStrings__auditdb: auditdb
    ConnectionStrings__messaging: messaging
stats:
  calls: [identity, conversation]
  stores: [postgres, rabbitmq]
  secrets:
    ConnectionStrings__statsdb: statsdb
    ConnectionStrings__messaging: messaging
    ServiceClient__ClientSecret: stats-client-secret
web:
  calls: [identity, conversation, stats, notification]
  stores: [redis]
  secrets:
    ConnectionStrings__redis: redis
gateway:
  calls: [identity, conversation, notification, audit, stats, web]
  stores: [redis, rabbitmq]
  secrets:
    ConnectionStrings__redis: redis
    ConnectionStrings__sessions: sessions
    ConnectionStrings__messaging: messaging
    Oidc__ClientSecret: gateway-client-secret
    DataProtection__Keys__k1: gateway-data-protection-key
{{- end -}}

{{/* The topology entry of one service, with the encryption key ring added to the Conversation service's secrets. */}}
{{- define "cm.wiring" -}}
{{- $topology := include "cm.topology" .root | fromYaml -}}
{{- $wiring := index $topology .name -}}
{{- if eq .name "conversation" -}}
{{- range .root.Values.conversation.encryption.keyIds -}}
{{- $_ := set $wiring.secrets (printf "Encryption__Keys__%s" .) (printf "conversation-encryption-key-%s" .) -}}
{{- end -}}
{{- end -}}
{{- toYaml $wiring -}}
{{- end -}}

{{/* Who calls a service: every service whose "calls" names it. */}}
{{- define "cm.callers" -}}
{{- $name := .name -}}
{{- $topology := include "cm.topology" .root | fromYaml -}}
{{- $callers := list -}}
{{- range $caller := include "cm.services" .root | fromYamlArray -}}
{{- if has $name (index $topology $caller).calls -}}
{{- $callers = append $callers $caller -}}
{{- end -}}
{{- end -}}
{{- toYaml $callers -}}
{{- end -}}

{{/* One service's settings: the defaults with its own on top. */}}
{{- define "cm.settings" -}}
{{- $own := index .root.Values.services .name | default dict -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.defaults) (deepCopy $own)) -}}
{{- end -}}

{{- define "cm.name" -}}
{{- printf "%s-%s" (include "cm.fullname" .root) .name -}}
{{- end -}}

{{/* Selector labels never change between chart versions: a Deployment's selector is immutable. */}}
{{- define "cm.selectorLabels" -}}
app.kubernetes.io/name: caremessaging
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "cm.labels" -}}
{{ include "cm.selectorLabels" . }}
app.kubernetes.io/part-of: caremessaging
app.kubernetes.io/version: {{ include "cm.imageTag" .root | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "cm.instanceLabels" -}}
app.kubernetes.io/name: caremessaging
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "cm.imageTag" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- if eq $tag "latest" -}}
{{- fail "image.tag must name a release (the chart's appVersion by default), never latest" -}}
{{- end -}}
{{- $tag -}}
{{- end -}}

{{- define "cm.image" -}}
{{- $registry := required "image.registry is required: the registry the CareMessaging images were pushed to" .root.Values.image.registry -}}
{{- printf "%s/%s/%s:%s" (trimSuffix "/" $registry) .root.Values.image.repository .name (include "cm.imageTag" .root) -}}
{{- end -}}

{{- define "cm.publicUrl" -}}
{{- $url := required "publicUrl is required: the address users open, e.g. https://caremessaging.hospital.example" .Values.publicUrl -}}
{{- if not (regexMatch "^https?://[^/]+$" (trimSuffix "/" $url)) -}}
{{- fail (printf "publicUrl must be a scheme and host without a path, e.g. https://caremessaging.hospital.example (got %q)" $url) -}}
{{- end -}}
{{- trimSuffix "/" $url -}}
{{- end -}}

{{/* In-cluster address of a service: its Service, port 8080 (port = targetPort, so the same URL works wherever the name resolves). */}}
{{- define "cm.url" -}}
{{- printf "http://%s:8080" (include "cm.name" .) -}}
{{- end -}}

{{/* The Secret that holds a key: secrets.refs.<key>, else the existing or created Secret. */}}
{{- define "cm.secretRef" -}}
{{- $ref := index .root.Values.secrets.refs .key | default dict -}}
{{- if $ref.name -}}
name: {{ $ref.name }}
key: {{ $ref.key | default .key }}
{{- else if .root.Values.secrets.existingSecret -}}
name: {{ .root.Values.secrets.existingSecret }}
key: {{ .key }}
{{- else if .root.Values.secrets.create -}}
name: {{ include "cm.fullname" .root }}-secrets
key: {{ .key }}
{{- else -}}
{{- fail (printf "secret %q has no source: set secrets.existingSecret (a Secret with the keys listed in values.yaml), or secrets.create with secrets.values, or secrets.refs.%s" .key .key) -}}
{{- end -}}
{{- end -}}

{{/* Every Secret key some service reads. */}}
{{- define "cm.secretKeys" -}}
{{- $keys := list -}}
{{- range $name := include "cm.services" . | fromYamlArray -}}
{{- $wiring := include "cm.wiring" (dict "root" $ "name" $name) | fromYaml -}}
{{- range $env, $key := $wiring.secrets -}}
{{- $keys = append $keys $key -}}
{{- end -}}
{{- end -}}
{{- toYaml ($keys | uniq | sortAlpha) -}}
{{- end -}}

{{/*
A service's settings that are not secret, as environment variables (its ConfigMap). The keys
are the ones the AppHost gives each project; DeploymentTests compares them with the Aspire
manifest so that the two cannot drift.
*/}}
{{- define "cm.config" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $public := include "cm.publicUrl" $root -}}
{{- $identity := include "cm.url" (dict "root" $root "name" "identity") -}}
{{- $wiring := include "cm.wiring" . | fromYaml -}}
HTTP_PORTS: "8080"
ASPNETCORE_FORWARDEDHEADERS_ENABLED: "true"
OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY: in_memory
OTEL_SERVICE_NAME: {{ $name }}
{{- /* Whose X-Forwarded-* each service believes: the gateway's pods for the services, the ingress controller for the gateway. */}}
{{- $trusted := ternary $root.Values.forwardedHeaders.ingressNetworks $root.Values.forwardedHeaders.podNetworks (eq $name "gateway") }}
{{- with $trusted }}
ForwardedHeaders__TrustedNetworks: {{ . | quote }}
{{- end }}
{{- with $root.Values.telemetry.otlpEndpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
{{- end }}
Authentication__Authority: {{ printf "%s/identity/" $identity | quote }}
Authentication__MetadataAddress: {{ printf "%s/identity/.well-known/openid-configuration" $identity | quote }}
Authentication__Issuer: {{ printf "%s/identity/" $public | quote }}
Authentication__RequireHttpsMetadata: "false"
{{- range $callee := $wiring.calls }}
{{- if ne $callee "identity" }}
{{ upper $callee }}_HTTP: {{ include "cm.url" (dict "root" $root "name" $callee) | quote }}
services__{{ $callee }}__http__0: {{ include "cm.url" (dict "root" $root "name" $callee) | quote }}
{{- end }}
{{- end }}
{{- if $wiring.stores }}
{{- /* The services refuse a connection string to a store that does not encrypt and check the server (ADR 0056). */}}
StoreTls__Required: {{ $root.Values.storeTls.required | toString | quote }}
{{- if $root.Values.storeTls.caSecretName }}
StoreTls__CertificateAuthority: {{ include "cm.storeCaPath" $root | quote }}
{{- end }}
{{- end }}
{{- if eq $name "gateway" }}
IDENTITY_HTTP: {{ $identity | quote }}
services__identity__http__0: {{ $identity | quote }}
Oidc__Authority: {{ printf "%s/identity/" $public | quote }}
Oidc__MetadataAddress: {{ printf "%s/identity/.well-known/openid-configuration" $identity | quote }}
Oidc__ClientId: gateway
Oidc__RequireHttpsMetadata: "false"
DataProtection__ActiveKeyId: "k1"
{{- end }}
{{- if eq $name "identity" }}
Identity__Issuer: {{ printf "%s/identity/" $public | quote }}
Identity__Clients__gateway__BaseUrl: {{ printf "%s/" $public | quote }}
Identity__RequireMfaForStaff: {{ $root.Values.identity.requireMfaForStaff | toString | quote }}
{{- end }}
{{- if or (eq $name "identity") (eq $name "conversation") }}
Seed__Demo: {{ $root.Values.demo.seed | toString | quote }}
{{- if $root.Values.demo.seed }}
{{- /* The services seed only in Development, so that a production install can never carry the demo accounts. */}}
ASPNETCORE_ENVIRONMENT: "Development"
{{- end }}
{{- end }}
{{- if eq $name "conversation" }}
{{- $active := $root.Values.conversation.encryption.activeKeyId }}
{{- if not (has $active $root.Values.conversation.encryption.keyIds) }}
{{- fail (printf "conversation.encryption.activeKeyId %q is not in conversation.encryption.keyIds" $active) }}
{{- end }}
Encryption__ActiveKeyId: {{ $active | quote }}
{{- end }}
{{- if or (eq $name "notification") (eq $name "stats") }}
ServiceClient__ClientId: {{ $name }}
ServiceClient__Scope: caremessaging.readmodel
{{- end }}
{{- if eq $name "web" }}
Display__TimeZone: {{ $root.Values.web.timeZone | quote }}
{{- end }}
{{- end -}}

{{/* Where the stores' certificate authority (storeTls.caSecretName) is mounted, and the file in it. */}}
{{- define "cm.storeCaDirectory" -}}
/etc/caremessaging/store-ca
{{- end -}}
{{- define "cm.storeCaPath" -}}
{{ include "cm.storeCaDirectory" . }}/ca.crt
{{- end -}}
