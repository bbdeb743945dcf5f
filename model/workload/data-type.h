/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_DATA_TYPE_H
#define EDGE_LLM_DATA_TYPE_H

#include <cstdint>
#include <string>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Numeric format of the tensors a recipe computes and stores.
 */
enum class DataType
{
    FP32, //!< IEEE 754 single precision, 4 bytes
    FP16, //!< IEEE 754 half precision, 2 bytes
    BF16, //!< bfloat16, 2 bytes
};

/**
 * \param type a data type
 * \return the bytes one element of \p type occupies
 */
uint32_t GetDataTypeBytes(DataType type);

/**
 * \param type a data type
 * \return its lower-case name: "fp32", "fp16" or "bf16"
 */
std::string DataTypeToString(DataType type);

/**
 * \brief Parse a data type name.
 * \param name "fp32", "fp16" or "bf16"
 * \param[out] type the parsed type, untouched on error
 * \return an empty string on success, otherwise the problem, naming the value and what is allowed
 */
std::string ParseDataType(const std::string& name, DataType& type);

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_DATA_TYPE_H */
