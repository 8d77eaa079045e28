// TensorBoard's Event message (tensorboard/compat/proto/{event,summary,tensor,tensor_shape}.proto)
// as protobufjs types: one schema for the writer (add_images events) and the reader.
import { Field, OneOf, Type } from 'protobufjs/light';

// Sub-messages the reader never looks into (histograms, audio, graphs, session logs) are declared as `bytes`:
// same wire type, so they are skipped as views instead of being decoded.
const PluginDataProto = new Type('PluginData')
  .add(new Field('pluginName', 1, 'string'))
  .add(new Field('content', 2, 'bytes'));
const SummaryMetadataProto = new Type('SummaryMetadata')
  .add(new Field('pluginData', 1, 'PluginData'))
  .add(new Field('dataClass', 4, 'int32'))
  .add(PluginDataProto);
const DimProto = new Type('Dim').add(new Field('size', 1, 'int64'));
const TensorShapeProto = new Type('TensorShapeProto')
  .add(new Field('dim', 2, 'Dim', 'repeated'))
  .add(DimProto);
const TensorProto = new Type('TensorProto')
  .add(new Field('dtype', 1, 'int32'))
  .add(new Field('tensorShape', 2, 'TensorShapeProto'))
  .add(new Field('tensorContent', 4, 'bytes'))
  .add(new Field('floatVal', 5, 'float', 'repeated'))
  .add(new Field('stringVal', 8, 'bytes', 'repeated'))
  .add(TensorShapeProto);
const ImageProto = new Type('Image')
  .add(new Field('height', 1, 'int32'))
  .add(new Field('width', 2, 'int32'))
  .add(new Field('colorspace', 3, 'int32'))
  .add(new Field('encodedImageString', 4, 'bytes'));
const ValueProto = new Type('Value')
  .add(new Field('tag', 1, 'string'))
  .add(new Field('simpleValue', 2, 'float'))
  .add(new Field('obsoleteOldStyleHistogram', 3, 'bytes'))
  .add(new Field('image', 4, 'Image'))
  .add(new Field('histo', 5, 'bytes'))
  .add(new Field('audio', 6, 'bytes'))
  .add(new Field('tensor', 8, 'TensorProto'))
  .add(new Field('metadata', 9, 'SummaryMetadata'))
  .add(new OneOf('value', ['simpleValue', 'obsoleteOldStyleHistogram', 'image', 'histo', 'audio', 'tensor']))
  .add(ImageProto)
  .add(TensorProto)
  .add(SummaryMetadataProto);
const SummaryProto = new Type('Summary').add(new Field('value', 1, 'Value', 'repeated')).add(ValueProto);
export const EventProto = new Type('Event')
  .add(new Field('wallTime', 1, 'double'))
  .add(new Field('step', 2, 'int64'))
  .add(new Field('fileVersion', 3, 'string'))
  .add(new Field('graphDef', 4, 'bytes'))
  .add(new Field('summary', 5, 'Summary'))
  .add(new Field('logMessage', 6, 'bytes'))
  .add(new Field('sessionLog', 7, 'bytes'))
  .add(new Field('taggedRunMetadata', 8, 'bytes'))
  .add(new Field('metaGraphDef', 9, 'bytes'))
  .add(new OneOf('what', ['fileVersion', 'graphDef', 'summary', 'logMessage', 'sessionLog', 'taggedRunMetadata', 'metaGraphDef']))
  .add(SummaryProto);
