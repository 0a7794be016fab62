using System.Text;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Alrs.Nodes.Configuration;

/// <summary>
/// Writes a configuration subtree back as HOCON that parses to the same values: one
/// <c>path = "value"</c> line per leaf (strings quoted, lists of quoted items or of objects
/// written the same way inside braces, as alrs.population.variants), sorted by path.
/// </summary>
public static class HoconWriter
{
    public static string Write(Config config, string root)
    {
        var text = new StringBuilder();
        Append(text, root, config.GetValue(root));
        return text.ToString();
    }

    static void Append(StringBuilder text, string path, HoconValue value)
    {
        if (value.IsObject())
        {
            foreach (var (key, child) in value.GetObject().Items.OrderBy(i => i.Key, StringComparer.Ordinal))
                Append(text, $"{path}.{Key(key)}", child);
        }
        else if (!value.IsString() && IsEmptyList(value))
        {
            // Akka's HOCON does not count an empty list as an array: written as a string it would read back as "".
            text.Append(path).Append(" = []\n");
        }
        else if (value.IsArray())
        {
            text.Append(path).Append(" = [").AppendJoin(", ", value.GetArray().Select(Item)).Append("]\n");
        }
        else
        {
            text.Append(path).Append(" = ").Append(Quote(value.GetString() ?? "")).Append('\n');
        }
    }

    static bool IsEmptyList(HoconValue value)
    {
        if (value.IsEmpty) return true;
        try
        {
            return value.GetArray().Count == 0;
        }
        catch (Exception)
        {
            return false;
        }
    }

    static string Item(HoconValue item)
    {
        if (!item.IsObject()) return Quote(item.GetString());
        var inner = new StringBuilder();
        foreach (var (key, child) in item.GetObject().Items.OrderBy(i => i.Key, StringComparer.Ordinal)) Append(inner, Key(key), child);
        return "{ " + inner.ToString().TrimEnd('\n').Replace("\n", ", ") + " }";
    }

    static string Key(string key) => key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? key : Quote(key);

    static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
