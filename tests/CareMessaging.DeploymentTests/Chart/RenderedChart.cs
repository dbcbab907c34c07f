using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CareMessaging.DeploymentTests.Chart;

/// <summary>One document of helm's output: where it came from, what it is, and its typed object.</summary>
public sealed record ChartDocument(int Number, string Template, string Kind, string Name, string Yaml, IKubernetesObject Object)
{
    public override string ToString() => $"{Kind}/{Name} ({Template})";
}

/// <summary>
/// helm's output, every document loaded strictly with KubernetesClient's models: an unknown field,
/// a value of the wrong type or a kind/API version the Kubernetes API no longer serves is an error
/// that names the document, the object and the field.
/// </summary>
public sealed partial class RenderedChart
{
    private RenderedChart(string yaml, IReadOnlyList<ChartDocument> documents) => (Yaml, Documents) = (yaml, documents);

    public string Yaml { get; }

    public IReadOnlyList<ChartDocument> Documents { get; }

    public IEnumerable<T> All<T>() where T : IKubernetesObject => Documents.Select(d => d.Object).OfType<T>();

    public T Named<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        All<T>().SingleOrDefault(o => o.Metadata.Name == name)
        ?? throw new InvalidOperationException($"The chart renders no {typeof(T).Name} named {name}.");

    /// <summary>Loads every document, or throws <see cref="ChartProblemException"/> listing each one that does not load.</summary>
    public static RenderedChart Load(string yaml)
    {
        var documents = new List<ChartDocument>();
        var problems = new List<string>();
        var number = 0;
        foreach (var text in DocumentSeparator().Split(yaml))
        {
            if (string.IsNullOrWhiteSpace(StripComments(text)))
            {
                continue;
            }

            number++;
            var template = SourceComment().Match(text) is { Success: true } source ? source.Groups[1].Value : "?";
            var (kind, name) = Identify(text);
            try
            {
                var loaded = KubernetesYaml.LoadAllFromString(text, typeMap: null, strict: true);
                if (loaded.Count != 1 || loaded[0] is not IKubernetesObject model)
                {
                    problems.Add($"#{number} {kind}/{name} ({template}): not a Kubernetes object");
                    continue;
                }

                documents.Add(new ChartDocument(number, template, kind, name, text, model));
            }
            catch (KeyNotFoundException)
            {
                // KubernetesClient's models are the API's current kinds: one it does not know is not served.
                problems.Add($"#{number} {kind}/{name} ({template}): {ApiVersionOf(text)} {kind} is not served by the Kubernetes API (no KubernetesClient model)");
            }
            catch (Exception exception) when (exception is YamlException or ArgumentException or InvalidOperationException)
            {
                problems.Add($"#{number} {kind}/{name} ({template}): {Describe(text, exception)}");
            }
        }

        return problems.Count == 0 ? new RenderedChart(yaml, documents) : throw new ChartProblemException(problems);
    }

    private static (string Kind, string Name) Identify(string text)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.FirstOrDefault()?.RootNode is YamlMappingNode root)
            {
                var kind = Scalar(root, "kind") ?? "?";
                var name = root.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode meta
                    ? Scalar(meta, "name") ?? "?"
                    : "?";
                return (kind, name);
            }
        }
        catch (YamlException)
        {
        }

        return ("?", "?");
    }

    private static string ApiVersionOf(string text) => ApiVersionLine().Match(text) is { Success: true } line ? line.Groups[1].Value : "?";

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>The loader's message with the dotted path of the field it stopped at.</summary>
    private static string Describe(string text, Exception exception)
    {
        var reason = (exception.InnerException?.Message ?? exception.Message).ReplaceLineEndings(" ");
        if (exception is not YamlException { Start: var mark })
        {
            return reason;
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            var path = PathAt(stream.Documents[0].RootNode, mark, "");
            return path.Length > 0 ? $"field {path}: {reason}" : reason;
        }
        catch (YamlException)
        {
            return reason;
        }
    }

    /// <summary>
    /// The dotted path of the field at <paramref name="mark"/>. A block node's end mark is not
    /// reliable, so the field is the last one that starts at or before the mark.
    /// </summary>
    private static string PathAt(YamlNode node, Mark mark, string path)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var entry = mapping.Children.LastOrDefault(c => Compare(c.Key.Start, mark) <= 0);
                if (entry.Key is YamlScalarNode key)
                {
                    var child = path.Length == 0 ? key.Value! : $"{path}.{key.Value}";
                    return Compare(entry.Value.Start, mark) <= 0 ? PathAt(entry.Value, mark, child) : child;
                }

                break;
            case YamlSequenceNode sequence:
                var index = sequence.Children.Select((item, i) => (item, i)).LastOrDefault(c => Compare(c.item.Start, mark) <= 0);
                if (index.item is not null)
                {
                    return PathAt(index.item, mark, $"{path}[{index.i}]");
                }

                break;
        }

        return path;
    }

    private static int Compare(Mark a, Mark b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column);

    private static string StripComments(string text) => CommentLine().Replace(text, string.Empty);

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();

    [GeneratedRegex(@"^# Source: (\S+)", RegexOptions.Multiline)]
    private static partial Regex SourceComment();

    [GeneratedRegex(@"^apiVersion:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex ApiVersionLine();

    [GeneratedRegex(@"^\s*#.*$", RegexOptions.Multiline)]
    private static partial Regex CommentLine();
}

/// <summary>The documents of a rendering that do not load, each named by object and field.</summary>
public sealed class ChartProblemException(IReadOnlyList<string> problems)
    : Exception($"{problems.Count} rendered document(s) do not load:\n" + string.Join('\n', problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
