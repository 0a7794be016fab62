using Alrs.Learning.Data;
using Alrs.Tests.Shared;

namespace Alrs.Learning.Tests.Data;

public sealed class CsvSamplesReaderTests : IDisposable
{
    readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    string Write(string text)
    {
        var path = _temp.File("data.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Every_feature_becomes_a_channel_and_the_named_column_the_label()
    {
        var path = Write("a,label,b\n1.5,2,-3\n\n0,0,4e2\n");

        var samples = CsvSamplesReader.Read(path, new CsvLayout(LabelColumn: "label"));

        Assert.Equal((2, 2, 1, 1), (samples.Count, samples.Channels, samples.Height, samples.Width));
        Assert.Equal(new[] { 1.5f, -3f, 0f, 400f }, samples.Values);
        Assert.Equal(new[] { 2, 0 }, samples.Labels);
    }

    [Fact]
    public void A_skipped_first_line_may_have_any_width_and_last_is_the_label()
    {
        // scikit-learn's bundled files: a line of counts and class names, then the rows.
        var path = Write("3,2,setosa,versicolor,virginica\n5.1,3.5,0\n7.0,3.2,1\n6.3,3.3,2\n");

        var samples = CsvSamplesReader.Read(path, new CsvLayout(CsvHeader.Skip, "last"), classes: 3);

        Assert.Equal((3, 2), (samples.Count, samples.Channels));
        Assert.Equal(new[] { 0, 1, 2 }, samples.Labels);
    }

    [Fact]
    public void A_ragged_row_names_the_file_and_its_line()
    {
        var path = Write("a,b,label\n1,2,0\n3,1\n");
        var error = Assert.Throws<DatasetException>(() => CsvSamplesReader.Read(path, new CsvLayout()));
        Assert.Equal($"{path} line 3: 2 fields, but line 1 has 3 (a ragged row)", error.Message);
    }

    [Fact]
    public void A_label_outside_the_class_count_names_the_file_and_its_line()
    {
        var path = Write("a,label\n1,0\n2,1\n3,3\n");
        var error = Assert.Throws<DatasetException>(() => CsvSamplesReader.Read(path, new CsvLayout(), classes: 3));
        Assert.Equal($"{path} line 4: label 3 is outside the 3 classes [0, 3)", error.Message);
    }

    [Theory]
    [InlineData("a,label\n1,0\n-1,x\n", "line 3: label 'x' is not an integer class")]
    [InlineData("a,label\n1,0\n1,-2\n", "line 3: label -2 is negative; classes are numbered from 0")]
    [InlineData("a,label\n1,0\nnan,1\n", "line 3: column 0 'nan' is not a finite number")]
    [InlineData("a,label\n1,0\n1e999,1\n", "line 3: column 0 '1e999' is not a finite number")]
    [InlineData("a,b\n1,0\n", "line 1: no column named 'label' for the label (columns: a, b); set alrs.env.own-data.csv.label-column")]
    [InlineData("a,label\n", ": holds no samples")]
    [InlineData("label\n1\n", "line 2: 1 field; a sample needs at least one feature and a label (separator ',')")]
    public void A_bad_row_fails_naming_the_file_line_and_fault(string text, string expected)
    {
        var path = Write(text);
        var error = Assert.Throws<DatasetException>(() => CsvSamplesReader.Read(path, new CsvLayout()));
        Assert.StartsWith(path, error.Message);
        Assert.EndsWith(expected, error.Message);
    }

    [Fact]
    public void A_numbered_label_column_beyond_the_row_names_the_line()
    {
        var path = Write("1,2,0\n");
        var error = Assert.Throws<DatasetException>(() => CsvSamplesReader.Read(path, new CsvLayout(CsvHeader.None, "5")));
        Assert.Equal($"{path} line 1: label column 5 is beyond its 3 columns (numbered from 0)", error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = _temp.File("absent.csv");
        var error = Assert.Throws<DatasetException>(() => CsvSamplesReader.Read(path, new CsvLayout()));
        Assert.Equal($"{path}: missing", error.Message);
    }
}
